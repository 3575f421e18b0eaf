using System.Text.Json;
using BuildHooks.Cli.Tests.Infrastructure;
using BuildHooks.Cli.Running;

namespace BuildHooks.Cli.Tests;

/// <summary>buildhooks run end to end: real server, real receiver, a real git repository, real child processes.</summary>
public sealed class RunCommandTests(TestServer server) : IClassFixture<TestServer>, IAsyncLifetime
{
    private RunProject _run = null!;
    private GitRepository _repository = null!;
    private Receiver _receiver = null!;
    private Infrastructure.Cli _cli = null!;
    private string _project = "";

    public async Task InitializeAsync()
    {
        _run = await RunProject.CreateAsync(server.Url);
        (_repository, _receiver, _cli, _project) = (_run.Repository, _run.Receiver, _run.Cli, _run.Id);
    }

    public async Task DisposeAsync() => await _run.DisposeAsync();

    [Fact]
    public async Task Passing_command_is_reported_as_pass_with_commit_author_and_branch_from_git()
    {
        var run = await _cli.RunAsync("run", "--project", _project, "--", "sh", "-c", "exit 0");

        Assert.True(run.ExitCode == 0, run.Error);
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal("pass", payload.GetProperty("status").GetString());
        Assert.Equal(0, payload.GetProperty("result").GetInt32());
        Assert.Equal(_repository.Commit, payload.GetProperty("commit").GetString());
        Assert.Equal(GitRepository.Author, payload.GetProperty("author").GetString());
        Assert.Equal(GitRepository.Committer, payload.GetProperty("committer").GetString());
        Assert.Equal(GitRepository.Message, payload.GetProperty("message").GetString());
        Assert.Equal(GitRepository.Branch, payload.GetProperty("branch").GetString());
        Assert.Contains("reported: pass", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failing_command_is_reported_as_fail_and_its_exit_status_is_kept()
    {
        var run = await _cli.RunAsync("run", "--project", _project, "--", "sh", "-c", "exit 3");

        Assert.Equal(3, run.ExitCode);
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal("fail", payload.GetProperty("status").GetString());
        Assert.Equal(3, payload.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task Command_that_does_not_exist_is_reported_as_error_and_exits_127()
    {
        var run = await _cli.RunAsync("run", "--project", _project, "--", "no-such-command-buildhooks-test", "--flag");

        Assert.Equal(127, run.ExitCode);
        Assert.Contains("cannot start 'no-such-command-buildhooks-test'", run.Error, StringComparison.Ordinal);
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal("error", payload.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Command_killed_by_the_timeout_is_reported_as_error_and_exits_124()
    {
        var run = await _cli.RunAsync("run", "--project", _project, "--timeout", "1", "--", "sleep", "30");

        Assert.Equal(124, run.ExitCode);
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal("error", payload.GetProperty("status").GetString());
        Assert.True(payload.GetProperty("duration").GetInt32() < 10);
    }

    [Fact]
    public async Task Unreachable_server_keeps_the_exit_status_and_the_report_which_flush_sends_later()
    {
        var down = _cli.With("BUILDHOOKS_URL", "http://127.0.0.1:1");

        var run = await down.RunAsync("run", "--project", _project, "--", "sh", "-c", "exit 5");

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("THE BUILD REPORT WAS NOT SENT", run.Error, StringComparison.Ordinal);
        Assert.Contains("buildhooks builds flush", run.Error, StringComparison.Ordinal);
        var kept = Assert.Single(Directory.GetFiles(_cli.SpoolDirectory, "*.json"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept));
        }

        var stillDown = await down.RunAsync("builds", "flush");
        Assert.Equal(3, stillDown.ExitCode);
        Assert.Single(Directory.GetFiles(_cli.SpoolDirectory, "*.json"));

        var flush = await _cli.RunAsync("builds", "flush", "--json");

        Assert.True(flush.ExitCode == 0, flush.Error);
        var sent = Assert.Single(flush.Json.EnumerateArray());
        Assert.Equal("fail", sent.GetProperty("status").GetString());
        // The server's JSON as it came: its times' "+00:00", not System.Text.Json's escaped "\u002B00:00".
        Assert.Contains($"\"finished_at\":\"{sent.GetProperty("finished_at").GetString()}\"", flush.Output, StringComparison.Ordinal);
        Assert.Contains("+00:00\"", flush.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", flush.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFiles(_cli.SpoolDirectory, "*.json"));
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal("fail", payload.GetProperty("status").GetString());
        Assert.Equal(5, payload.GetProperty("result").GetInt32());
        Assert.Equal(_repository.Commit, payload.GetProperty("commit").GetString());
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_proxy_answering_that_the_server_is_unavailable_keeps_the_report_for_flush(int status)
    {
        // A load balancer in front of a server being deployed: BuildHooks never saw the report.
        await using var proxy = await Receiver.StartAsync();
        proxy.Respond = (_, _) => Task.FromResult(Microsoft.AspNetCore.Http.Results.StatusCode(status));
        var behindProxy = _cli.With("BUILDHOOKS_URL", proxy.Url);

        var run = await behindProxy.RunAsync("run", "--project", _project, "--", "sh", "-c", "exit 7");

        // It was taken as a refusal: "will NOT be reported", and the build was lost.
        Assert.Equal(7, run.ExitCode);
        Assert.Contains("THE BUILD REPORT WAS NOT SENT", run.Error, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_cli.SpoolDirectory, "*.json"));
        Assert.Equal(3, (await behindProxy.RunAsync("builds", "flush")).ExitCode);

        var flush = await _cli.RunAsync("builds", "flush");

        Assert.True(flush.ExitCode == 0, flush.Error);
        Assert.Equal(7, (await _receiver.NextAsync()).Payload.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task A_kept_file_that_is_not_a_readable_report_is_named_and_left_while_the_others_are_sent()
    {
        var down = _cli.With("BUILDHOOKS_URL", "http://127.0.0.1:1");
        Assert.Equal(6, (await down.RunAsync("run", "--project", _project, "--", "sh", "-c", "exit 6")).ExitCode);
        // Sorted before the good one, as an older report cut short by a full disk would be.
        var broken = Path.Combine(_cli.SpoolDirectory, "00000000T000000000-truncated.json");
        await File.WriteAllTextAsync(broken, "{\"server\": \"http://127.0.0.1:1/\", \"project_id\": ");
        var empty = Path.Combine(_cli.SpoolDirectory, "00000000T000000001-null.json");
        await File.WriteAllTextAsync(empty, "null");

        var flush = await _cli.RunAsync("builds", "flush");

        // It used to stop at the first with "the answer was not the JSON of a BuildHooks server; check --url".
        Assert.Equal(1, flush.ExitCode);
        Assert.Contains($"cannot send {broken}: it is not valid JSON", flush.Error, StringComparison.Ordinal);
        Assert.Contains($"cannot send {empty}: it is not a kept build report", flush.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("check --url", flush.Error, StringComparison.Ordinal);
        Assert.Contains("Sent 1 of 3 kept reports.", flush.Output, StringComparison.Ordinal);
        Assert.Equal([broken, empty], Directory.GetFiles(_cli.SpoolDirectory, "*.json").Order(StringComparer.Ordinal));
        Assert.Equal(6, (await _receiver.NextAsync()).Payload.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task A_build_finish_kept_for_another_server_is_left_for_that_server_not_sent_here()
    {
        // Build ids are each server's own: build N here is not build N there. Here it is already finished.
        var here = (await _cli.JsonAsync("builds", "report", "--project", _project, "--status", "pass")).GetProperty("id").GetInt64();
        var elsewhere = "http://127.0.0.1:1/";
        var kept = await new BuildSpool(_cli.SpoolDirectory).KeepAsync(new SpooledReport(elsewhere, long.Parse(_project, System.Globalization.CultureInfo.InvariantCulture), here,
            new System.Text.Json.Nodes.JsonObject { ["status"] = "fail", ["result"] = 1 }, DateTimeOffset.UtcNow), CancellationToken.None);

        var flush = await _cli.RunAsync("builds", "flush");

        // It was sent here with a warning, met this server's finished build and was dropped as done: the other server's
        // build never finished.
        Assert.Equal(1, flush.ExitCode);
        Assert.Contains($"{kept} finishes build {here} of {elsewhere}", flush.Error, StringComparison.Ordinal);
        Assert.Contains($"buildhooks builds flush --url {elsewhere}", flush.Error, StringComparison.Ordinal);
        Assert.Equal([kept], Directory.GetFiles(_cli.SpoolDirectory, "*.json"));
        Assert.Equal("pass", (await _cli.JsonAsync("builds", "show", $"{here}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GitHub_Actions_variables_override_git_and_flags_override_both()
    {
        _cli.Environment["GITHUB_ACTIONS"] = "true";
        _cli.Environment["GITHUB_SHA"] = "e91e132612d263d95211aae6de2df9e503f22704";
        _cli.Environment["GITHUB_REF_NAME"] = "master";
        _cli.Environment["GITHUB_ACTOR"] = "octocat";

        var run = await _cli.RunAsync("run", "--project", _project, "--", "true");

        Assert.True(run.ExitCode == 0, run.Error);
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal("e91e132612d263d95211aae6de2df9e503f22704", payload.GetProperty("commit").GetString());
        Assert.Equal("master", payload.GetProperty("branch").GetString());
        Assert.Equal("octocat", payload.GetProperty("author").GetString());
        Assert.Equal(GitRepository.Message, payload.GetProperty("message").GetString());

        var flagged = await _cli.RunAsync("run", "--project", _project, "--branch", "release/1.0", "--author", "Dan Sosedoff", "--", "true");

        Assert.True(flagged.ExitCode == 0, flagged.Error);
        var overridden = (await _receiver.NextAsync()).Payload;
        Assert.Equal("release/1.0", overridden.GetProperty("branch").GetString());
        Assert.Equal("Dan Sosedoff", overridden.GetProperty("author").GetString());
        Assert.Equal("e91e132612d263d95211aae6de2df9e503f22704", overridden.GetProperty("commit").GetString());
    }

    [Fact]
    public async Task Run_with_json_prints_the_finished_build_as_json()
    {
        var run = await _cli.RunAsync("run", "--project", _project, "--json", "--", "true");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("pass", run.Json.GetProperty("status").GetString());
        await _receiver.NextAsync();
    }

    [Fact]
    public async Task Run_works_with_the_project_report_token_as_CI_would_use_it()
    {
        var project = await _cli.JsonAsync("projects", "add", "--name", "cli-report-token");
        var id = project.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _cli.JsonAsync("hooks", "add", "--project", id, _receiver.Url, "--content-type", "json");
        var ci = _cli.With("BUILDHOOKS_TOKEN", project.GetProperty("report_token").GetString()!);

        var run = await ci.RunAsync("run", "--project", id, "--", "sh", "-c", "echo building; exit 0");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("pass", (await _receiver.NextAsync()).Payload.GetProperty("status").GetString());
        Assert.Equal(1, (await ci.RunAsync("projects", "list")).ExitCode); // a report token reports, nothing more
    }

    [Fact]
    public async Task Outside_a_git_repository_without_CI_variables_the_command_still_runs_unreported_and_stderr_says_why()
    {
        var outside = Path.Combine(Path.GetTempPath(), "buildhooks-cli-tests", "plain-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        var cli = new Infrastructure.Cli(outside, _cli.Environment);
        var builds = (await _cli.JsonAsync("builds", "list", "-p", _project)).GetArrayLength();
        var received = _receiver.Count;

        var run = await cli.RunAsync("run", "--project", _project, "--", "sh", "-c", "echo ran > step-ran; exit 5");

        // The step ran and its status is the run's; the lack of a report is said, with how to fix it, on standard error.
        Assert.True(run.ExitCode == 5, run.Error);
        Assert.True(File.Exists(Path.Combine(outside, "step-ran")), "the wrapped command did not run");
        Assert.Contains("NO BUILD WAS REPORTED", run.Error, StringComparison.Ordinal);
        Assert.Contains("pass --commit <sha>", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
        Assert.Equal(builds, (await _cli.JsonAsync("builds", "list", "-p", _project)).GetArrayLength());
        Assert.Equal(received, _receiver.Count);
        Assert.Equal(0, (await cli.RunAsync("run", "--project", _project, "--", "true")).ExitCode);

        // A fork's pull request gets no secrets: no server address or token, and the step still runs, unreported.
        // In a git repository, so the commit is known; with a config folder of its own, so no login profile is either.
        var secretless = new Infrastructure.Cli(_repository.Directory, _cli.Environment
            .Where(v => v.Key is not ("BUILDHOOKS_URL" or "BUILDHOOKS_TOKEN")).ToDictionary(v => v.Key, v => v.Value));
        secretless.Environment["BUILDHOOKS_CONFIG_DIR"] = Path.Combine(outside, "config");
        var forked = await secretless.RunAsync("run", "--project", _project, "--", "sh", "-c", $"echo ran > '{Path.Combine(outside, "fork-ran")}'; exit 3");
        Assert.True(forked.ExitCode == 3, forked.Error);
        Assert.True(File.Exists(Path.Combine(outside, "fork-ran")), "the wrapped command did not run without a token");
        Assert.Contains("NO BUILD WAS REPORTED", forked.Error, StringComparison.Ordinal);
        Assert.Contains("No server address", forked.Error, StringComparison.Ordinal);
        Assert.Equal(received, _receiver.Count);

        var flagged = await cli.RunAsync("run", "--project", _project, "--commit", "0123456789abcdef", "--branch", "main", "--", "true");
        Assert.True(flagged.ExitCode == 0, flagged.Error);
        var payload = (await _receiver.NextAsync()).Payload;
        Assert.Equal("0123456789abcdef", payload.GetProperty("commit").GetString());
        Assert.Equal("main", payload.GetProperty("branch").GetString());
    }
}
