using BuildHooks.Cli.Tests.Infrastructure;

namespace BuildHooks.Cli.Tests;

/// <summary>
/// run and builds flush send their reports with the run's Idempotency-Key, so a report the server recorded but whose answer
/// was lost is not recorded twice: one build per run, one delivery per hook.
/// </summary>
public sealed class IdempotentReportTests(TestServer server) : IClassFixture<TestServer>, IAsyncLifetime
{
    private RunProject _run = null!;

    public async Task InitializeAsync() => _run = await RunProject.CreateAsync(server.Url);

    public async Task DisposeAsync() => await _run.DisposeAsync();

    private Infrastructure.Cli Through(string url) => _run.Cli.With("BUILDHOOKS_URL", url);

    private async Task<List<System.Text.Json.JsonElement>> BuildsAsync() =>
        (await _run.Cli.JsonAsync("builds", "list", "-p", _run.Id)).EnumerateArray().ToList();

    /// <summary>Waits for <paramref name="count"/> deliveries at the receiver, then a while longer for any that should not come.</summary>
    private async Task ExactlyAsync(int count)
    {
        await _run.Receiver.WaitForAsync(count);
        await Task.Delay(1500);
        Assert.Equal(count, _run.Receiver.Count);
    }

    /// <summary>A whole build's report of <paramref name="commit"/> kept in the spool, with <paramref name="key"/> if given (files kept before keys have none).</summary>
    private async Task<string> KeepAsync(string commit, string? key = null)
    {
        Directory.CreateDirectory(_run.Cli.SpoolDirectory);
        var path = Path.Combine(_run.Cli.SpoolDirectory, "20261101T120000000-0123abcd.json");
        var keyed = key is null ? "" : $", \"idempotency_key\": \"{key}\"";
        await File.WriteAllTextAsync(path, $$"""
            {
              "server": "{{server.Url.TrimEnd('/')}}/",
              "project_id": {{_run.Id}},
              "build_id": null,
              "body": { "commit": "{{commit}}", "branch": "main", "status": "pass", "result": 0,
                        "started_at": "2026-11-01T11:58:00+00:00", "finished_at": "2026-11-01T12:00:00+00:00" },
              "spooled_at": "2026-11-01T12:00:00+00:00"{{keyed}}
            }
            """);
        return path;
    }

    private static bool OpensTheBuild(ReceivedRequest request, int index) =>
        request.Method == "POST" && request.Path.EndsWith("/builds", StringComparison.Ordinal) && request.BodyText.Contains("\"running\"", StringComparison.Ordinal);

    /// <summary>A CI script that retries builds report after a timeout names the build with --idempotency-key (its job's id).</summary>
    [Fact]
    public async Task Builds_report_sent_again_with_the_same_key_records_one_build_and_says_so()
    {
        string[] report = ["builds", "report", "-p", _run.Id, "--status", "pass", "--idempotency-key", "job-4242"];

        var first = await _run.Cli.RunAsync(report);
        var again = await _run.Cli.RunAsync(report);
        var other = await _run.Cli.JsonAsync("builds", "report", "-p", _run.Id, "--status", "pass", "--idempotency-key", "job-4243");

        Assert.Equal((0, 0), (first.ExitCode, again.ExitCode));
        Assert.DoesNotContain("already had", first.Error, StringComparison.Ordinal);
        Assert.Contains("the server already had build #1 with this idempotency key; nothing was recorded or sent again", again.Error, StringComparison.Ordinal);
        Assert.Equal(2, other.GetProperty("number").GetInt32());
        Assert.Equal(2, (await BuildsAsync()).Count);
        await ExactlyAsync(2);
        var empty = await _run.Cli.RunAsync("builds", "report", "-p", _run.Id, "--status", "pass", "--idempotency-key", "");
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("Idempotency-Key", empty.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The open reached the server, which recorded the build as running, but its answer came after the CLI's 10 s. The
    /// CLI then sent the whole finished report: a second build, and the first one running for ever.
    /// </summary>
    [Fact]
    public async Task A_run_whose_open_answer_is_lost_finishes_the_build_the_open_made()
    {
        await using var proxy = await LossyProxy.StartAsync(server.Url);
        proxy.LoseAnswer = OpensTheBuild;
        proxy.Stall = TimeSpan.FromSeconds(12);

        var run = await Through(proxy.Url).RunAsync("run", "--project", _run.Id, "--", "sh", "-c", "exit 4");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("no answer within 10 s", run.Error, StringComparison.Ordinal);
        Assert.Contains("reported: fail", run.Error, StringComparison.Ordinal);
        var build = Assert.Single(await BuildsAsync());
        Assert.Equal(("fail", 4), (build.GetProperty("status").GetString(), build.GetProperty("result").GetInt32()));
        var reports = proxy.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/builds", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reports.Count);
        Assert.Single(reports.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        Assert.True(Guid.TryParse(reports[0].Headers["Idempotency-Key"], out _));
        Assert.False(Directory.Exists(_run.Cli.SpoolDirectory) && Directory.GetFiles(_run.Cli.SpoolDirectory, "*.json").Length > 0);
        await ExactlyAsync(1);
        Assert.Equal(4, _run.Receiver.Requests[0].Payload.GetProperty("result").GetInt32());
    }

    /// <summary>
    /// Artifacts go up only to a running build, and a run whose open got no answer had no build id, so its artifacts were
    /// dropped. It now opens the build again under its key once the command is done, and gets the build the first open made.
    /// </summary>
    [Fact]
    public async Task A_run_whose_open_answer_is_lost_opens_it_again_under_its_key_and_uploads_the_artifacts_to_that_build()
    {
        await using var proxy = await LossyProxy.StartAsync(server.Url);
        var opens = 0;
        proxy.LoseAnswer = (request, index) => OpensTheBuild(request, index) && Interlocked.Increment(ref opens) == 1;
        proxy.Stall = TimeSpan.FromSeconds(12);

        var run = await Through(proxy.Url).RunAsync("run", "--project", _run.Id, "--artifact", "*.log", "--", "sh", "-c", "echo '42 passed' > test.log");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("no answer within 10 s", run.Error, StringComparison.Ordinal);
        Assert.Contains("1 artifact(s) uploaded", run.Error, StringComparison.Ordinal);
        Assert.Contains("reported: pass", run.Error, StringComparison.Ordinal);
        var build = Assert.Single(await BuildsAsync());
        Assert.Equal("pass", build.GetProperty("status").GetString());
        var id = build.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var artifact = Assert.Single((await _run.Cli.JsonAsync("builds", "artifacts", id)).EnumerateArray());
        Assert.Equal(("test.log", 10), (artifact.GetProperty("name").GetString(), artifact.GetProperty("size").GetInt64()));
        var opened = proxy.Requests.Where(r => OpensTheBuild(r, 0)).ToList();
        Assert.Equal(2, opened.Count);
        Assert.Single(opened.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        await ExactlyAsync(1);
    }

    /// <summary>
    /// A flush whose report reached the server but whose answer a proxy lost (504) keeps the file; the next flush sent it
    /// again, a second build with a second round of webhooks. Now the server answers that it had it, and the file goes.
    /// </summary>
    [Fact]
    public async Task Flush_of_a_kept_report_the_server_already_has_drops_it_without_a_second_build()
    {
        var down = Through("http://127.0.0.1:1");
        Assert.Equal(6, (await down.RunAsync("run", "--project", _run.Id, "--", "sh", "-c", "exit 6")).ExitCode);
        var kept = Assert.Single(Directory.GetFiles(_run.Cli.SpoolDirectory, "*.json"));
        Assert.Contains("\"idempotency_key\"", await File.ReadAllTextAsync(kept), StringComparison.Ordinal);
        await using var proxy = await LossyProxy.StartAsync(server.Url);
        proxy.LoseAnswer = (request, _) => request.Method == "POST";

        var lost = await Through(proxy.Url).RunAsync("builds", "flush");

        Assert.Equal(3, lost.ExitCode);
        Assert.Equal([kept], Directory.GetFiles(_run.Cli.SpoolDirectory, "*.json"));
        Assert.Single(await BuildsAsync());

        var flush = await _run.Cli.RunAsync("builds", "flush");

        Assert.True(flush.ExitCode == 0, flush.Error);
        Assert.Contains("the server already had build #1", flush.Error, StringComparison.Ordinal);
        Assert.Contains("Sent 1 of 1 kept reports.", flush.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_run.Cli.SpoolDirectory, "*.json"));
        Assert.Equal("fail", Assert.Single(await BuildsAsync()).GetProperty("status").GetString());
        await ExactlyAsync(1);
    }

    /// <summary>
    /// A kept report whose key the server has for another commit (only a hand-edited file can be one): dropping it would lose
    /// its build, so it stays kept, and flush prints what the server says differs and how to send it as a build of its own.
    /// </summary>
    [Fact]
    public async Task Flush_of_a_kept_report_whose_key_names_another_build_keeps_it_and_says_what_differs()
    {
        Assert.Equal(0, (await _run.Cli.RunAsync("builds", "report", "-p", _run.Id, "--status", "pass", "--idempotency-key", "job-77")).ExitCode);
        var kept = await KeepAsync("4f1c0a7d2b9e8c6a5d3f1e0b9a8c7d6e5f4a3b2c", "job-77");

        var flush = await _run.Cli.RunAsync("builds", "flush");

        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("422 Idempotency-Key reused: Idempotency-Key 'job-77' was first used for build #1", flush.Error, StringComparison.Ordinal);
        Assert.Contains("this report names commit 4f1c0a7d2b9e8c6a5d3f1e0b9a8c7d6e5f4a3b2c", flush.Error, StringComparison.Ordinal);
        Assert.Contains("give it a new idempotency_key in the file (or remove it) and flush again", flush.Error, StringComparison.Ordinal);
        Assert.Equal([kept], Directory.GetFiles(_run.Cli.SpoolDirectory, "*.json"));
        Assert.Equal("pass", Assert.Single(await BuildsAsync()).GetProperty("status").GetString());
        await ExactlyAsync(1);
    }

    [Fact]
    public async Task A_report_kept_before_keys_existed_is_still_sent()
    {
        await KeepAsync(_run.Repository.Commit);

        var flush = await _run.Cli.RunAsync("builds", "flush");

        Assert.True(flush.ExitCode == 0, flush.Error);
        Assert.Contains("sent build #1", flush.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_run.Cli.SpoolDirectory, "*.json"));
        await ExactlyAsync(1);
    }
}
