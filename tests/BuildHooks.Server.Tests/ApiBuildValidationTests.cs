using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Build reports a CI script can get wrong: 400s that name the field, 409s for conflicts, never a 5xx.</summary>
public sealed class ApiBuildValidationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly DateTimeOffset Started = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private BuildHooksServer Server => fixture.Server;

    private static Dictionary<string, object?> Report() => new()
    {
        ["commit"] = "e91e132612d263d95211aae6de2df9e503f22704",
        ["author"] = "Dan Sosedoff",
        ["message"] = "Commit Message",
        ["branch"] = "master",
        ["status"] = "pass",
        ["started_at"] = Started,
        ["finished_at"] = Started.AddSeconds(158),
    };

    private static Dictionary<string, object?> Without(string field)
    {
        var report = Report();
        report.Remove(field);
        return report;
    }

    private static Dictionary<string, object?> With(string field, object? value)
    {
        var report = Report();
        report[field] = value;
        return report;
    }

    public static TheoryData<string, Dictionary<string, object?>> InvalidReports => new()
    {
        { "commit", Without("commit") },
        { "commit", With("commit", "  ") },
        { "branch", Without("branch") },
        { "branch", With("branch", "") },
        { "started_at", Without("started_at") },
        { "finished_at", Without("finished_at") },
        { "finished_at", With("finished_at", Started.AddSeconds(-1)) },
        { "status", With("status", "nope") },
        { "status", With("status", "1") },
        { "status", Without("status") },
        { "number", With("number", 0) },
        { "number", With("number", -5) },
        { "commit_url", With("commit_url", "github.com/acme/x/commit/1") },
        { "compare_url", With("compare_url", "ftp://github.com/compare") },
        { "author", With("author", new string('a', 300)) },
        // PostgreSQL cannot store NUL (22021); a commit message keeps its line breaks and tabs, nothing else may hold a control character.
        { "message", With("message", "m\u0000x") },
        { "message", With("message", "bell\u0007") },
        { "branch", With("branch", "ma\u0000ster") },
        { "branch", With("branch", "main\n") },
        { "commit", With("commit", "e91e132\t") },
        { "author", With("author", "Dan\u0000") },
        { "committer", With("committer", "Dan\u001f") },
        { "commit_url", With("commit_url", "https://github.com/acme/x/commit/1\u0000") },
        // A status and a result that disagree: which one did the CI mean?
        { "result", With("result", 1) },
        { "result", Both("fail", 0) },
        { "result", Both("error", 1) },
        { "result", Both("running", 0) },
    };

    private static Dictionary<string, object?> Both(string status, int result)
    {
        var report = With("status", status);
        report["result"] = result;
        return report;
    }

    [Theory]
    [InlineData("pass", 0)]
    [InlineData("fail", 1)]
    [InlineData("fail", 137)]
    public async Task A_status_with_the_result_that_goes_with_it_is_accepted(string status, int result)
    {
        var (projectId, _) = await Server.CreateProjectAsync("agreeing");

        var build = await Server.PostAsync($"/api/projects/{projectId}/builds", Both(status, result));

        Assert.Equal(status, build.GetProperty("status").GetString());
        Assert.Equal(result, (await Server.GetAsync($"/api/builds/{build.GetProperty("id").GetInt64()}")).GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task A_status_and_result_that_disagree_are_refused_with_the_rule()
    {
        var (projectId, _) = await Server.CreateProjectAsync("disagreeing");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", Both("pass", 1));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "result 1", "pass goes with result 0", "fail with any other result");
    }

    [Fact]
    public async Task A_commit_message_keeps_its_line_breaks_and_tabs()
    {
        var (projectId, _) = await Server.CreateProjectAsync("multiline");

        var build = await Server.PostAsync($"/api/projects/{projectId}/builds", With("message", "Fix login\r\n\n\tand the logout"));

        var id = build.GetProperty("id").GetInt64();
        Assert.Equal("Fix login\r\n\n\tand the logout", (await Server.GetAsync($"/api/builds/{id}")).GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(InvalidReports))]
    public async Task An_invalid_build_report_is_a_400_problem_that_names_the_field(string field, Dictionary<string, object?> report)
    {
        var (projectId, _) = await Server.CreateProjectAsync("invalid-build");

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", report);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field);
        Assert.Empty((await Server.GetAsync($"/api/projects/{projectId}/builds")).EnumerateArray());
    }

    [Fact]
    public async Task A_running_build_needs_no_finished_at()
    {
        var (projectId, _) = await Server.CreateProjectAsync("running-ok");
        var report = Without("finished_at");
        report["status"] = "running";

        var build = await Server.PostAsync($"/api/projects/{projectId}/builds", report);

        Assert.Equal("running", build.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_build_report_for_an_unknown_project_is_a_404_problem()
    {
        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, "/api/projects/987654321/builds", Report());

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "987654321");
    }

    [Fact]
    public async Task A_duplicate_build_number_is_a_409_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("duplicate");
        await Server.PostAsync($"/api/projects/{projectId}/builds", With("number", 130));

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", With("number", 130));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "130");
        Assert.Single((await Server.GetAsync($"/api/projects/{projectId}/builds")).EnumerateArray());
    }

    [Fact]
    public async Task The_same_build_number_is_fine_in_another_project()
    {
        var (first, _) = await Server.CreateProjectAsync("numbers-a");
        var (second, _) = await Server.CreateProjectAsync("numbers-b");

        await Server.PostAsync($"/api/projects/{first}/builds", With("number", 7));
        var build = await Server.PostAsync($"/api/projects/{second}/builds", With("number", 7));

        Assert.Equal(7, build.GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task Numbering_after_the_largest_possible_build_number_is_never_a_500()
    {
        var (projectId, _) = await Server.CreateProjectAsync("overflow");
        using (var largest = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", With("number", int.MaxValue)))
        {
            if (largest.StatusCode != HttpStatusCode.Created)
            {
                await ApiProblemAssert.IsInvalidFieldAsync(largest, "number"); // refusing so large a number is as good
                return;
            }
        }

        var answers = new List<(HttpStatusCode Status, string Body, HttpResponseMessage Response)>();
        for (var i = 0; i < 2; i++)
        {
            var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/builds", Report());
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync(), response));
        }

        Assert.All(answers, a => Assert.True((int)a.Status < 500, $"a report after #{int.MaxValue} got {(int)a.Status}: {a.Body}"));
        foreach (var (status, body, response) in answers)
        {
            if (status == HttpStatusCode.Created)
            {
                Assert.True(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("number").GetInt32() > 0, $"a build number must be positive: {body}");
            }
            else
            {
                ApiProblemAssert.IsProblemBody(response, body, "number");
            }

            response.Dispose();
        }
    }

    [Fact]
    public async Task Finishing_a_finished_build_is_a_409_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("finished-twice");
        var id = (await Server.ReportBuildAsync(projectId, "fail")).GetProperty("id").GetInt64();

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/builds/{id}", new { status = "pass" });

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "fail");
        Assert.Equal("fail", (await Server.GetAsync($"/api/builds/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Finishing_a_build_twice_is_a_409_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("patched-twice");
        var id = (await Server.PostAsync($"/api/projects/{projectId}/builds", With("status", "running"))).GetProperty("id").GetInt64();
        await Server.PatchAsync($"/api/builds/{id}", new { status = "pass" });

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/builds/{id}", new { status = "error" });

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    public static TheoryData<string, object> InvalidFinishes => new()
    {
        { "status", new { status = "nope" } },
        { "status", new { status = "running" } },
        { "status", new { compare_url = "https://github.com/acme/x/compare/a...b" } },
        { "compare_url", new { status = "pass", compare_url = "not a url" } },
        { "compare_url", new { status = "pass", compare_url = "https://github.com/acme/x/compare/a...b\u0000" } },
        { "status", new { status = "pass\u0000" } },
        { "result", new { status = "pass", result = 1 } },
        { "result", new { status = "fail", result = 0 } },
        { "result", new { status = "error", result = 2 } },
    };

    [Theory]
    [MemberData(nameof(InvalidFinishes))]
    public async Task An_invalid_finish_is_a_400_problem_and_the_build_stays_running(string field, object finish)
    {
        var (projectId, _) = await Server.CreateProjectAsync("invalid-finish");
        var id = (await Server.PostAsync($"/api/projects/{projectId}/builds", With("status", "running"))).GetProperty("id").GetInt64();

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/builds/{id}", finish);

        await ApiProblemAssert.IsInvalidFieldAsync(response, field);
        Assert.Equal("running", (await Server.GetAsync($"/api/builds/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Finishing_a_build_before_it_started_is_a_400_problem()
    {
        var (projectId, _) = await Server.CreateProjectAsync("time-travel");
        var id = (await Server.PostAsync($"/api/projects/{projectId}/builds", With("status", "running"))).GetProperty("id").GetInt64();

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/builds/{id}", new { status = "pass", finished_at = Started.AddHours(-1) });

        await ApiProblemAssert.IsInvalidFieldAsync(response, "finished_at");
        Assert.Equal("running", (await Server.GetAsync($"/api/builds/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Finishing_an_unknown_build_is_a_404_problem()
    {
        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Patch, "/api/builds/987654321", new { status = "pass" });

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "987654321");
    }
}
