using System.Net;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Build reports: how status and number are derived, running builds that fire hooks only when finished, and reading builds back.</summary>
public sealed class ApiBuildsTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly DateTimeOffset Started = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private BuildHooksServer Server => fixture.Server;

    private static Dictionary<string, object?> Report(params (string Field, object? Value)[] fields)
    {
        var report = new Dictionary<string, object?>
        {
            ["commit"] = "e91e132612d263d95211aae6de2df9e503f22704",
            ["author"] = "Dan Sosedoff",
            ["committer"] = "Dan Sosedoff",
            ["message"] = "Commit Message",
            ["branch"] = "master",
            ["started_at"] = Started,
            ["finished_at"] = Started.AddSeconds(158),
        };
        foreach (var (field, value) in fields)
        {
            report[field] = value;
        }

        return report;
    }

    private Task<JsonElement> ReportAsync(long projectId, params (string Field, object? Value)[] fields) =>
        Server.PostAsync($"/api/projects/{projectId}/builds", Report(fields));

    [Theory]
    [InlineData(0, "pass")]
    [InlineData(1, "fail")]
    [InlineData(3, "fail")]
    [InlineData(-1, "fail")]
    public async Task A_build_reported_with_only_its_exit_status_passes_on_0_and_fails_otherwise(int result, string status)
    {
        var (projectId, _) = await Server.CreateProjectAsync("exit-status");

        var build = await ReportAsync(projectId, ("result", result));

        Assert.Equal(status, build.GetProperty("status").GetString());
        var stored = await Server.GetAsync($"/api/builds/{build.GetProperty("id").GetInt64()}");
        Assert.Equal(status, stored.GetProperty("status").GetString());
        Assert.Equal(result, stored.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task A_build_that_could_not_run_is_an_error()
    {
        var (projectId, _) = await Server.CreateProjectAsync("errored");

        var build = await ReportAsync(projectId, ("status", "error"));

        Assert.Equal("error", build.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_created_build_answers_with_id_uuid_number_status_and_build_url()
    {
        var (projectId, _) = await Server.CreateProjectAsync("answer");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", Report(("status", "pass")));
        var build = await BuildHooksServer.ReadAsync(response, HttpStatusCode.Created);

        var id = build.GetProperty("id").GetInt64();
        Assert.Equal($"/api/builds/{id}", response.Headers.Location?.OriginalString);
        Assert.NotEqual(Guid.Empty, build.GetProperty("uuid").GetGuid());
        Assert.Equal(1, build.GetProperty("number").GetInt32());
        Assert.Equal("pass", build.GetProperty("status").GetString());
        Assert.Equal($"{Server.BaseUrl}/projects/{projectId}/builds/{id}", build.GetProperty("build_url").GetString());
    }

    [Fact]
    public async Task Build_numbers_count_up_per_project()
    {
        var (first, _) = await Server.CreateProjectAsync("count-a");
        var (second, _) = await Server.CreateProjectAsync("count-b");

        var numbers = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add((await ReportAsync(first, ("status", "pass"))).GetProperty("number").GetInt32());
        }

        var other = (await ReportAsync(second, ("status", "pass"))).GetProperty("number").GetInt32();

        Assert.Equal([1, 2, 3], numbers);
        Assert.Equal(1, other);
    }

    [Fact]
    public async Task A_given_number_is_kept_and_the_next_build_follows_it()
    {
        var (projectId, _) = await Server.CreateProjectAsync("given-number");

        var given = await ReportAsync(projectId, ("status", "pass"), ("number", 130));
        var next = await ReportAsync(projectId, ("status", "pass"));

        Assert.Equal(130, given.GetProperty("number").GetInt32());
        Assert.Equal(131, next.GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task A_build_keeps_what_was_reported()
    {
        var (projectId, _) = await Server.CreateProjectAsync("faithful");
        var created = await ReportAsync(projectId,
            ("status", "fail"), ("result", 2), ("branch", "release/1.2"), ("commit_url", "https://github.com/acme/faithful/commit/e91e132"),
            ("compare_url", "https://github.com/acme/faithful/compare/a...b"));

        var build = await Server.GetAsync($"/api/builds/{created.GetProperty("id").GetInt64()}");

        Assert.Equal(projectId, build.GetProperty("project_id").GetInt64());
        Assert.Equal("fail", build.GetProperty("status").GetString());
        Assert.Equal(2, build.GetProperty("result").GetInt32());
        Assert.Equal("e91e132612d263d95211aae6de2df9e503f22704", build.GetProperty("commit").GetString());
        Assert.Equal("Dan Sosedoff", build.GetProperty("author").GetString());
        Assert.Equal("Commit Message", build.GetProperty("message").GetString());
        Assert.Equal("release/1.2", build.GetProperty("branch").GetString());
        Assert.Equal(Started, build.GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal(Started.AddSeconds(158), build.GetProperty("finished_at").GetDateTimeOffset());
        Assert.Equal("https://github.com/acme/faithful/commit/e91e132", build.GetProperty("commit_url").GetString());
        Assert.Equal("https://github.com/acme/faithful/compare/a...b", build.GetProperty("compare_url").GetString());
    }

    [Fact]
    public async Task Get_build_links_to_its_page_on_the_servers_base_url()
    {
        var (projectId, _) = await Server.CreateProjectAsync("linked");
        var id = (await ReportAsync(projectId, ("status", "pass"))).GetProperty("id").GetInt64();

        var build = await Server.GetAsync($"/api/builds/{id}");

        Assert.Equal($"{Server.BaseUrl}/projects/{projectId}/builds/{id}", build.GetProperty("build_url").GetString());
    }

    [Fact]
    public async Task Builds_are_listed_newest_first_and_page_with_limit_and_before()
    {
        var (projectId, _) = await Server.CreateProjectAsync("history");
        var ids = new List<long>();
        foreach (var status in new[] { "pass", "fail", "error" })
        {
            ids.Add((await ReportAsync(projectId, ("status", status))).GetProperty("id").GetInt64());
        }

        var all = await Server.GetAsync($"/api/projects/{projectId}/builds");
        var firstPage = await Server.GetAsync($"/api/projects/{projectId}/builds?limit=2");
        var secondPage = await Server.GetAsync($"/api/projects/{projectId}/builds?limit=2&before={firstPage[1].GetProperty("id").GetInt64()}");

        Assert.Equal([ids[2], ids[1], ids[0]], all.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()));
        Assert.Equal([3, 2, 1], all.EnumerateArray().Select(b => b.GetProperty("number").GetInt32()));
        Assert.Equal(["error", "fail", "pass"], all.EnumerateArray().Select(b => b.GetProperty("status").GetString()));
        Assert.Equal([ids[2], ids[1]], firstPage.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()));
        Assert.Equal([ids[0]], secondPage.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()));
        Assert.All(all.EnumerateArray(), b =>
            Assert.Equal($"{Server.BaseUrl}/projects/{projectId}/builds/{b.GetProperty("id").GetInt64()}", b.GetProperty("build_url").GetString()));
    }

    /// <summary>The answer to a report says how many hooks it reached, as the build's own page and GET do.</summary>
    [Fact]
    public async Task A_reported_build_answers_with_the_deliveries_it_caused()
    {
        await using var receiver = await Receiver.StartAsync();
        var (projectId, _) = await Server.CreateProjectAsync("counted");
        await Server.CreateHookAsync(projectId, new { url = receiver.Url });
        await Server.CreateHookAsync(projectId, new { url = receiver.Url + "/passes", triggers = new[] { "pass" } });
        await Server.CreateHookAsync(projectId, new { url = receiver.Url + "/failures", triggers = new[] { "fail" } });

        var passed = await Server.PostAsync($"/api/projects/{projectId}/builds", Report(("status", "pass")));
        var failed = await Server.PostAsync($"/api/projects/{projectId}/builds", Report(("status", "fail")));

        Assert.Equal((2, 2), (passed.GetProperty("deliveries").GetInt32(), failed.GetProperty("deliveries").GetInt32()));
        Assert.Equal(2, (await Server.GetAsync($"/api/builds/{passed.GetProperty("id").GetInt64()}")).GetProperty("deliveries").GetInt32());
    }

    [Fact]
    public async Task A_running_build_fires_no_hook_until_it_is_finished()
    {
        await using var receiver = await Receiver.StartAsync();
        var (projectId, _) = await Server.CreateProjectAsync("long-build");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = receiver.Url })).GetProperty("id").GetInt64();

        var opened = await Server.PostAsync($"/api/projects/{projectId}/builds", Report(("status", "running"), ("finished_at", null)));
        var buildId = opened.GetProperty("id").GetInt64();
        Assert.Equal("running", opened.GetProperty("status").GetString());
        Assert.Equal(0, opened.GetProperty("deliveries").GetInt32());
        await Task.Delay(500);
        Assert.Empty((await Server.GetAsync($"/api/hooks/{hookId}/deliveries")).EnumerateArray());
        Assert.Empty(receiver.Requests);
        var running = await Server.GetAsync($"/api/builds/{buildId}");
        Assert.Equal(JsonValueKind.Null, running.GetProperty("finished_at").ValueKind);

        var finished = await Server.PatchAsync($"/api/builds/{buildId}", new { status = "pass" });

        Assert.Equal("pass", finished.GetProperty("status").GetString());
        Assert.Equal(0, finished.GetProperty("result").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, finished.GetProperty("finished_at").ValueKind);
        Assert.Equal(1, finished.GetProperty("deliveries").GetInt32());
        var request = Assert.Single(await receiver.WaitForAsync(1));
        using var payload = JsonDocument.Parse(request.Form!["payload"]);
        Assert.Equal(buildId, payload.RootElement.GetProperty("id").GetInt64());
        Assert.Equal("pass", payload.RootElement.GetProperty("status").GetString());
        var delivery = Assert.Single((await Server.GetAsync($"/api/hooks/{hookId}/deliveries")).EnumerateArray());
        Assert.Equal(buildId, delivery.GetProperty("build_id").GetInt64());
        await Task.Delay(300);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData(0, "pass")]
    [InlineData(2, "fail")]
    public async Task Finishing_with_only_an_exit_status_passes_on_0_and_fails_otherwise(int result, string status)
    {
        var (projectId, _) = await Server.CreateProjectAsync("finish-result");
        var id = (await ReportAsync(projectId, ("status", "running"), ("finished_at", null))).GetProperty("id").GetInt64();

        var finished = await Server.PatchAsync($"/api/builds/{id}", new { result, finished_at = Started.AddMinutes(5) });

        Assert.Equal(status, finished.GetProperty("status").GetString());
        Assert.Equal(result, finished.GetProperty("result").GetInt32());
        Assert.Equal(Started.AddMinutes(5), finished.GetProperty("finished_at").GetDateTimeOffset());
        Assert.Equal(status, (await Server.GetAsync($"/api/builds/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_build_list_of_an_unknown_project_is_a_404_problem()
    {
        using var response = await Server.Admin.GetAsync(new Uri("/api/projects/987654321/builds", UriKind.Relative));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "987654321");
    }
}
