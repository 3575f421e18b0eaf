using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Reports with an Idempotency-Key: sent again after a lost answer, a report reaches the build the first one made
/// (finishing it when it was opened as running) instead of making a second build and a second round of webhooks.
/// </summary>
public sealed class IdempotencyKeyTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly DateTimeOffset Started = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private const string Commit = "e91e132612d263d95211aae6de2df9e503f22704";
    private const string OtherCommit = "4f1c0a7d2b9e8c6a5d3f1e0b9a8c7d6e5f4a3b2c";

    private BuildHooksServer Server => fixture.Server;

    private static object Finished(string status = "fail", string commit = Commit, string branch = "master", int? number = null) => new
    {
        number,
        commit,
        author = "Dan Sosedoff",
        message = "Commit Message",
        branch,
        status,
        started_at = Started,
        finished_at = Started.AddSeconds(158),
    };

    private static object Running() => new
    {
        commit = Commit,
        author = "Dan Sosedoff",
        message = "Commit Message",
        branch = "master",
        status = "running",
        started_at = Started,
    };

    private async Task<HttpResponseMessage> SendAsync(long projectId, object report, params string[] keys)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/projects/{projectId}/builds", UriKind.Relative))
        {
            Content = JsonContent.Create(report, options: BuildHooksServer.Json),
        };
        foreach (var key in keys)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return await Server.Admin.SendAsync(request);
    }

    private async Task<(HttpStatusCode Status, bool Replayed, JsonElement Build)> ReportAsync(long projectId, object report, string key)
    {
        using var response = await SendAsync(projectId, report, key);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
        return (response.StatusCode, replayed, await BuildHooksServer.ReadAsync(response, response.StatusCode));
    }

    private async Task<List<JsonElement>> BuildsAsync(long projectId) =>
        (await Server.GetAsync($"/api/projects/{projectId}/builds")).EnumerateArray().ToList();

    /// <summary>Waits for <paramref name="count"/> requests, then a while longer for any that should not come.</summary>
    private static async Task<IReadOnlyList<Testing.ReceivedRequest>> ExactlyAsync(Receiver receiver, int count)
    {
        await receiver.WaitForAsync(count);
        await Task.Delay(1500);
        Assert.Equal(count, receiver.Count);
        return receiver.Requests;
    }

    private async Task<long> ProjectWithHookAsync(string name, Receiver receiver)
    {
        var (projectId, _) = await Server.CreateProjectAsync(name);
        await Server.CreateHookAsync(projectId, new { url = receiver.Url });
        return projectId;
    }

    private async Task<long> ProjectWithTwoHooksAsync(string name, Receiver receiver)
    {
        var (projectId, _) = await Server.CreateProjectAsync(name);
        await Server.CreateHookAsync(projectId, new { url = receiver.Url + "/a" });
        await Server.CreateHookAsync(projectId, new { url = receiver.Url + "/b" });
        return projectId;
    }

    [Fact]
    public async Task A_finished_report_sent_twice_with_one_key_makes_one_build_and_one_delivery_per_hook()
    {
        await using var receiver = await Receiver.StartAsync();
        var projectId = await ProjectWithTwoHooksAsync("idem-twice", receiver);
        var key = Guid.NewGuid().ToString();

        var first = await ReportAsync(projectId, Finished(), key);
        var again = await ReportAsync(projectId, Finished(), key);

        Assert.Equal((HttpStatusCode.Created, false), (first.Status, first.Replayed));
        Assert.Equal((HttpStatusCode.OK, true), (again.Status, again.Replayed));
        Assert.Equal(first.Build.GetProperty("id").GetInt64(), again.Build.GetProperty("id").GetInt64());
        Assert.Equal("fail", again.Build.GetProperty("status").GetString());
        Assert.Equal(2, again.Build.GetProperty("deliveries").GetInt32());
        Assert.Equal(key, Assert.Single(await BuildsAsync(projectId)).GetProperty("idempotency_key").GetString());
        var arrived = await ExactlyAsync(receiver, 2);
        Assert.Equal(["/a", "/b"], arrived.Select(r => r.Path).Order(StringComparer.Ordinal));
        // The build's page names the key, for whoever looks for the CI job that made it.
        using var browser = await WebSession.SignInAsync(Server.BaseUrl);
        var page = await browser.GetStringAsync(new Uri($"/projects/{projectId}/builds/{again.Build.GetProperty("id").GetInt64()}", UriKind.Relative));
        Assert.Contains($"<dt>Idempotency key</dt><dd><code>{key}</code></dd>", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// buildhooks run's case: the open's answer was lost, so the CLI sends the whole finished report with the open's key.
    /// It used to make a second build, leaving the first running for ever.
    /// </summary>
    [Fact]
    public async Task A_finished_report_with_the_key_of_a_running_build_finishes_that_build_and_fires_its_hooks_once()
    {
        await using var receiver = await Receiver.StartAsync();
        var projectId = await ProjectWithTwoHooksAsync("idem-open-then-finish", receiver);
        var key = Guid.NewGuid().ToString();

        var opened = await ReportAsync(projectId, Running(), key);
        var reopened = await ReportAsync(projectId, Running(), key);
        var finished = await ReportAsync(projectId, Finished("pass"), key);
        var finishedAgain = await ReportAsync(projectId, Finished("fail"), key);

        Assert.Equal((HttpStatusCode.Created, false, "running"), (opened.Status, opened.Replayed, opened.Build.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, true, "running"), (reopened.Status, reopened.Replayed, reopened.Build.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, false, "pass"), (finished.Status, finished.Replayed, finished.Build.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, true, "pass"), (finishedAgain.Status, finishedAgain.Replayed, finishedAgain.Build.GetProperty("status").GetString()));
        var id = opened.Build.GetProperty("id").GetInt64();
        Assert.All([reopened, finished, finishedAgain], r => Assert.Equal(id, r.Build.GetProperty("id").GetInt64()));
        Assert.Equal(2, finished.Build.GetProperty("deliveries").GetInt32());
        var build = Assert.Single(await BuildsAsync(projectId));
        Assert.Equal("pass", build.GetProperty("status").GetString());
        Assert.Equal(Started.AddSeconds(158), build.GetProperty("finished_at").GetDateTimeOffset());
        var arrived = await ExactlyAsync(receiver, 2);
        Assert.Equal(["/a", "/b"], arrived.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(arrived, r => Assert.Equal(("pass", id), (r.Payload.GetProperty("status").GetString(), r.Payload.GetProperty("id").GetInt64())));
    }

    /// <summary>
    /// A key reused by mistake for another build: it used to answer with the first build, and the new one was never recorded
    /// or sent. As the IETF Idempotency-Key draft has it, a key reused with another payload is a 422 that says what differs.
    /// </summary>
    [Theory]
    [InlineData("commit")]
    [InlineData("branch")]
    [InlineData("number")]
    public async Task A_key_reused_for_another_commit_branch_or_number_is_a_422_that_says_what_differs_and_records_and_sends_nothing(string differs)
    {
        await using var receiver = await Receiver.StartAsync();
        var projectId = await ProjectWithHookAsync($"idem-reused-{differs}", receiver);
        var key = Guid.NewGuid().ToString();
        var (first, reused, named) = differs switch
        {
            "commit" => (Finished(), Finished(commit: OtherCommit), $"this report names commit {OtherCommit}."),
            "branch" => (Finished(), Finished(branch: "release"), "this report names branch release."),
            _ => (Finished(number: 12), Finished(number: 13), "this report names build #13."),
        };
        var recorded = await ReportAsync(projectId, first, key);
        var id = recorded.Build.GetProperty("id").GetInt64();
        var before = (await Server.GetAsync($"/api/builds/{id}")).GetRawText();

        using var response = await SendAsync(projectId, reused, key);

        var number = recorded.Build.GetProperty("number").GetInt32();
        var problem = await ApiProblemAssert.IsProblemAsync(response, (HttpStatusCode)422,
            $"Idempotency-Key '{key}' was first used for build #{number} (commit {Commit} on branch master)", named, "Send a new key for a new build");
        Assert.Equal("Idempotency-Key reused", problem.GetProperty("title").GetString());
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(id, Assert.Single(await BuildsAsync(projectId)).GetProperty("id").GetInt64());
        Assert.Equal(before, (await Server.GetAsync($"/api/builds/{id}")).GetRawText());
        var arrived = await ExactlyAsync(receiver, 1);
        Assert.Equal((id, Commit), (arrived[0].Payload.GetProperty("id").GetInt64(), arrived[0].Payload.GetProperty("commit").GetString()));
    }

    [Fact]
    public async Task A_finished_report_for_another_commit_with_the_key_of_a_running_build_is_a_422_and_the_build_stays_running()
    {
        await using var receiver = await Receiver.StartAsync();
        var projectId = await ProjectWithHookAsync("idem-reused-running", receiver);
        var key = Guid.NewGuid().ToString();
        var opened = await ReportAsync(projectId, Running(), key);

        using var response = await SendAsync(projectId, Finished("pass", commit: OtherCommit), key);

        await ApiProblemAssert.IsProblemAsync(response, (HttpStatusCode)422, $"commit {Commit} on branch master", $"commit {OtherCommit}");
        var build = Assert.Single(await BuildsAsync(projectId));
        Assert.Equal(("running", JsonValueKind.Null), (build.GetProperty("status").GetString(), build.GetProperty("finished_at").ValueKind));
        await ExactlyAsync(receiver, 0);
        // The mistake does not spend the key: the run's own finished report still finishes its build.
        var finished = await ReportAsync(projectId, Finished("pass"), key);
        Assert.Equal((HttpStatusCode.OK, opened.Build.GetProperty("id").GetInt64(), "pass"),
            (finished.Status, finished.Build.GetProperty("id").GetInt64(), finished.Build.GetProperty("status").GetString()));
        await ExactlyAsync(receiver, 1);
    }

    [Fact]
    public async Task A_finish_by_key_is_checked_as_a_PATCH_is()
    {
        var (projectId, _) = await Server.CreateProjectAsync("idem-finish-checked");
        var key = Guid.NewGuid().ToString();
        await ReportAsync(projectId, Running(), key);
        var early = new
        {
            commit = "e91e132612d263d95211aae6de2df9e503f22704",
            branch = "master",
            status = "pass",
            started_at = Started.AddHours(-2),
            finished_at = Started.AddHours(-1),
        };

        using var response = await SendAsync(projectId, early, key);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "finished_at must not be before the build's started_at");
        Assert.Equal("running", Assert.Single(await BuildsAsync(projectId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task One_key_in_two_projects_names_two_builds_and_reports_without_a_key_each_make_one()
    {
        var (first, _) = await Server.CreateProjectAsync("idem-project-a");
        var (second, _) = await Server.CreateProjectAsync("idem-project-b");
        const string key = "deploy-2026-11-27";

        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(first, Finished(), key)).Status);
        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(second, Finished(), key)).Status);
        await Server.PostAsync($"/api/projects/{first}/builds", Finished());
        await Server.PostAsync($"/api/projects/{first}/builds", Finished());

        Assert.Equal(3, (await BuildsAsync(first)).Count);
        Assert.Single(await BuildsAsync(second));
    }

    public static TheoryData<string[], string> BadKeys => new()
    {
        { [""], "1 to 255 characters" },
        { [new string('k', 256)], "it was 256 long" },
        { ["tab\there"], "printable ASCII" },
        { ["del\u007f"], "printable ASCII" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_key_that_is_empty_too_long_or_not_printable_ASCII_is_a_400_that_says_what_to_fix_and_records_nothing(string[] keys, string mention)
    {
        var (projectId, _) = await Server.CreateProjectAsync("idem-bad-key");

        using var response = await SendAsync(projectId, Finished(), keys);

        var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "Idempotency-Key", mention);
        Assert.Equal("Invalid Idempotency-Key", problem.GetProperty("title").GetString());
        Assert.Empty(await BuildsAsync(projectId));
    }

    [Fact]
    public async Task A_key_of_255_printable_characters_is_taken()
    {
        var (projectId, _) = await Server.CreateProjectAsync("idem-long-key");
        var key = string.Concat(Enumerable.Range(0, 255).Select(i => (char)(' ' + 1 + (i % 94))));

        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(projectId, Finished(), key)).Status);
        Assert.Equal((HttpStatusCode.OK, true), ((await ReportAsync(projectId, Finished(), key)) is var r ? (r.Status, r.Replayed) : default));
    }

    [Fact]
    public async Task Reports_with_one_key_sent_at_once_make_one_build_and_one_delivery()
    {
        await using var receiver = await Receiver.StartAsync();
        var projectId = await ProjectWithHookAsync("idem-concurrent", receiver);
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => ReportAsync(projectId, Finished(), key))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.True(a.Replayed));
        Assert.Single(answers.Select(a => a.Build.GetProperty("id").GetInt64()).Distinct());
        Assert.Single(await BuildsAsync(projectId));
        await ExactlyAsync(receiver, 1);
    }

    [Fact]
    public async Task The_API_reference_documents_the_header_on_the_report_endpoint()
    {
        using var response = await Server.Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var report = document.RootElement.GetProperty("paths").GetProperty("/api/projects/{projectId}/builds").GetProperty("post");
        var header = Assert.Single(report.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.Equal(255, header.GetProperty("schema").GetProperty("maxLength").GetInt32());
        Assert.Contains("422", header.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
