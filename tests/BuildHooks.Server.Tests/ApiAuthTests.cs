using System.Net;
using System.Net.Http.Headers;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Who may call what: the admin token everything, a report token its own project's builds, nobody else anything under /api.</summary>
public sealed class ApiAuthTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    private static object Running() => new
    {
        commit = "e91e132612d263d95211aae6de2df9e503f22704",
        branch = "master",
        status = "running",
        started_at = DateTimeOffset.UtcNow,
    };

    private static object Finished(string status = "pass") => new
    {
        commit = "e91e132612d263d95211aae6de2df9e503f22704",
        branch = "master",
        status,
        started_at = DateTimeOffset.UtcNow.AddMinutes(-2),
        finished_at = DateTimeOffset.UtcNow,
    };

    /// <summary>Every /api endpoint, with ids that exist so that a refusal cannot be mistaken for a 404.</summary>
    private async Task<(HttpMethod Method, string Path, object? Body)[]> EveryEndpointAsync()
    {
        var (projectId, _) = await Server.CreateProjectAsync("guarded");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();
        var buildId = (await Server.PostAsync($"/api/projects/{projectId}/builds", Running())).GetProperty("id").GetInt64();
        return
        [
            (HttpMethod.Post, "/api/projects", new { name = "intruder" }),
            (HttpMethod.Get, "/api/projects", null),
            (HttpMethod.Get, $"/api/projects/{projectId}", null),
            (HttpMethod.Patch, $"/api/projects/{projectId}", new { name = "renamed" }),
            (HttpMethod.Delete, $"/api/projects/{projectId}", null),
            (HttpMethod.Post, $"/api/projects/{projectId}/hooks", new { url = "http://127.0.0.1:9/" }),
            (HttpMethod.Get, $"/api/projects/{projectId}/hooks", null),
            (HttpMethod.Get, $"/api/projects/{projectId}/hooks/{hookId}", null),
            (HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}", new { enabled = false }),
            (HttpMethod.Delete, $"/api/projects/{projectId}/hooks/{hookId}", null),
            (HttpMethod.Post, $"/api/projects/{projectId}/hooks/{hookId}/test", null),
            (HttpMethod.Post, $"/api/projects/{projectId}/builds", Finished()),
            (HttpMethod.Get, $"/api/projects/{projectId}/builds", null),
            (HttpMethod.Get, $"/api/builds/{buildId}", null),
            (HttpMethod.Patch, $"/api/builds/{buildId}", new { status = "pass" }),
            (HttpMethod.Get, $"/api/hooks/{hookId}/deliveries", null),
            (HttpMethod.Post, $"/api/hooks/{hookId}/recover", new { since = DateTimeOffset.UtcNow.AddDays(-1) }),
            (HttpMethod.Get, "/api/deliveries/1", null),
            (HttpMethod.Post, "/api/deliveries/1/redeliver", null),
        ];
    }

    private static async Task<HttpResponseMessage> CallAsync(HttpClient client, HttpMethod method, string path, object? body, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body, options: BuildHooksServer.Json),
        };
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    private async Task<List<string>> RefusalsAsync(AuthenticationHeaderValue? authorization, HttpStatusCode expected, bool challenge)
    {
        var wrong = new List<string>();
        foreach (var (method, path, body) in await EveryEndpointAsync())
        {
            using var response = await CallAsync(Server.Anonymous, method, path, body, authorization);
            var text = await response.Content.ReadAsStringAsync();
            try
            {
                Assert.Equal(expected, response.StatusCode);
                ApiProblemAssert.IsProblemBody(response, text);
                if (challenge)
                {
                    Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
                }
            }
            catch (Xunit.Sdk.XunitException e)
            {
                wrong.Add($"{method} {path}: {e.Message}");
            }
        }

        return wrong;
    }

    [Fact]
    public async Task Every_api_endpoint_without_a_token_is_a_401_problem_with_a_bearer_challenge()
    {
        var wrong = await RefusalsAsync(null, HttpStatusCode.Unauthorized, challenge: true);

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task Every_api_endpoint_with_a_wrong_token_is_a_401_problem()
    {
        var wrong = await RefusalsAsync(new AuthenticationHeaderValue("Bearer", "not-the-token"), HttpStatusCode.Unauthorized, challenge: true);

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Theory]
    [InlineData("Bearer", "")]
    [InlineData("Bearer", "test-admin-token-but-longer")]
    [InlineData("Basic", "dGVzdC1hZG1pbi10b2tlbjo=")]
    [InlineData("Token", InProcessServer.AdminToken)]
    public async Task A_malformed_or_foreign_authorization_is_a_401_problem(string scheme, string parameter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/projects", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {parameter}");

        using var response = await Server.Anonymous.SendAsync(request);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "Bearer");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_token_too_long_to_be_real_is_a_401_problem()
    {
        using var response = await CallAsync(Server.Anonymous, HttpMethod.Get, "/api/projects", null, new AuthenticationHeaderValue("Bearer", new string('t', 5000)));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_bearer_scheme_name_is_case_insensitive()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/projects", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {InProcessServer.AdminToken}");

        using var response = await Server.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_report_token_reports_and_finishes_builds_of_its_own_project()
    {
        var (projectId, token) = await Server.CreateProjectAsync("reporter");
        var bearer = new AuthenticationHeaderValue("Bearer", token);

        using var finished = await CallAsync(Server.Anonymous, HttpMethod.Post, $"/api/projects/{projectId}/builds", Finished("fail"), bearer);
        Assert.Equal("fail", (await BuildHooksServer.ReadAsync(finished, HttpStatusCode.Created)).GetProperty("status").GetString());

        using var opened = await CallAsync(Server.Anonymous, HttpMethod.Post, $"/api/projects/{projectId}/builds", Running(), bearer);
        var buildId = (await BuildHooksServer.ReadAsync(opened, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        using var closed = await CallAsync(Server.Anonymous, HttpMethod.Patch, $"/api/builds/{buildId}", new { status = "pass" }, bearer);
        Assert.Equal("pass", (await BuildHooksServer.ReadAsync(closed, HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_report_token_is_a_403_problem_for_another_projects_builds()
    {
        var (mine, token) = await Server.CreateProjectAsync("mine");
        var (theirs, _) = await Server.CreateProjectAsync("theirs");
        var theirBuild = (await Server.PostAsync($"/api/projects/{theirs}/builds", Running())).GetProperty("id").GetInt64();
        var bearer = new AuthenticationHeaderValue("Bearer", token);

        using var report = await CallAsync(Server.Anonymous, HttpMethod.Post, $"/api/projects/{theirs}/builds", Finished(), bearer);
        await ApiProblemAssert.IsProblemAsync(report, HttpStatusCode.Forbidden, "own project");
        using var finish = await CallAsync(Server.Anonymous, HttpMethod.Patch, $"/api/builds/{theirBuild}", new { status = "pass" }, bearer);
        await ApiProblemAssert.IsProblemAsync(finish, HttpStatusCode.Forbidden, "own project");

        Assert.Empty((await Server.GetAsync($"/api/projects/{mine}/builds")).EnumerateArray());
        var builds = await Server.GetAsync($"/api/projects/{theirs}/builds");
        Assert.Equal("running", Assert.Single(builds.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_report_token_is_a_403_problem_for_everything_but_reporting()
    {
        var (projectId, token) = await Server.CreateProjectAsync("narrow");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();
        var buildId = (await Server.ReportBuildAsync(projectId)).GetProperty("id").GetInt64();
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        var calls = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "/api/projects", null),
            (HttpMethod.Post, "/api/projects", new { name = "escalate" }),
            (HttpMethod.Get, $"/api/projects/{projectId}", null),
            (HttpMethod.Patch, $"/api/projects/{projectId}", new { name = "renamed" }),
            (HttpMethod.Delete, $"/api/projects/{projectId}", null),
            (HttpMethod.Get, $"/api/projects/{projectId}/hooks", null),
            (HttpMethod.Post, $"/api/projects/{projectId}/hooks", new { url = "http://127.0.0.1:9/" }),
            (HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}", new { enabled = false }),
            (HttpMethod.Get, $"/api/projects/{projectId}/builds", null),
            (HttpMethod.Get, $"/api/builds/{buildId}", null),
            (HttpMethod.Get, $"/api/hooks/{hookId}/deliveries", null),
            (HttpMethod.Post, $"/api/hooks/{hookId}/recover", new { since = DateTimeOffset.UtcNow.AddDays(-1) }),
        };

        foreach (var (method, path, body) in calls)
        {
            using var response = await CallAsync(Server.Anonymous, method, path, body, bearer);
            await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        }

        var project = await Server.GetAsync($"/api/projects/{projectId}");
        Assert.Equal("narrow", project.GetProperty("name").GetString());
        Assert.True((await Server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}")).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_deleted_projects_report_token_stops_working()
    {
        var (projectId, token) = await Server.CreateProjectAsync("gone");
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        using var before = await CallAsync(Server.Anonymous, HttpMethod.Post, $"/api/projects/{projectId}/builds", Finished(), bearer);
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);

        using var deleted = await Server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var after = await CallAsync(Server.Anonymous, HttpMethod.Post, $"/api/projects/{projectId}/builds", Finished(), bearer);
        await ApiProblemAssert.IsProblemAsync(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_admin_token_may_report_builds_of_any_project()
    {
        var (projectId, _) = await Server.CreateProjectAsync("admin-reports");

        var build = await Server.ReportBuildAsync(projectId, "error");

        Assert.Equal("error", build.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_docs_and_openapi_need_no_token_but_the_api_does()
    {
        foreach (var path in new[] { "/healthz", "/openapi/v1.json", "/docs" })
        {
            using var open = await Server.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(open.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)open.StatusCode}");
        }

        using var closed = await Server.Anonymous.GetAsync(new Uri("/api/projects", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
    }
}
