using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Paths and query strings a client can get wrong: ids that are not numbers or do not exist, and bad list filters.</summary>
public sealed class ApiRouteTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly (string Method, string Path)[] PathsWithIdsThatAreNotNumbers =
    [
        ("GET", "/api/projects/abc"),
        ("PATCH", "/api/projects/abc"),
        ("DELETE", "/api/projects/1.5"),
        ("GET", "/api/projects/abc/hooks"),
        ("POST", "/api/projects/abc/hooks"),
        ("GET", "/api/projects/1/hooks/x"),
        ("PATCH", "/api/projects/1/hooks/x"),
        ("DELETE", "/api/projects/1/hooks/x"),
        ("POST", "/api/projects/1/hooks/x/test"),
        ("GET", "/api/projects/abc/builds"),
        ("POST", "/api/projects/abc/builds"),
        ("GET", "/api/builds/abc"),
        ("PATCH", "/api/builds/abc"),
        ("GET", "/api/hooks/abc/deliveries"),
        ("POST", "/api/hooks/abc/recover"),
        ("GET", "/api/builds/abc/deliveries"),
        ("GET", "/api/deliveries/abc"),
        ("POST", "/api/deliveries/abc/redeliver"),
        ("GET", "/api/projects/99999999999999999999999"),
    ];

    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task An_id_that_is_not_a_number_is_a_404_problem()
    {
        var wrong = new List<string>();
        foreach (var (method, path) in PathsWithIdsThatAreNotNumbers)
        {
            using var response = await Server.Admin.SendRawAsync(new HttpMethod(method), path, "{}");
            var text = await response.Content.ReadAsStringAsync();
            try
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                ApiProblemAssert.IsProblemBody(response, text);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                wrong.Add($"{method} {path}: {e.Message}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems_that_name_what_is_missing()
    {
        var (projectId, _) = await Server.CreateProjectAsync("lonely");
        var calls = new (HttpMethod Method, string Path, object? Body, string What)[]
        {
            (HttpMethod.Get, "/api/projects/987654321", null, "project"),
            (HttpMethod.Get, "/api/projects/-1", null, "project"),
            (HttpMethod.Get, "/api/projects/987654321/hooks", null, "project"),
            (HttpMethod.Get, $"/api/projects/{projectId}/hooks/987654321", null, "hook"),
            (HttpMethod.Patch, $"/api/projects/{projectId}/hooks/987654321", new { max_attempts = 2 }, "hook"),
            (HttpMethod.Delete, $"/api/projects/{projectId}/hooks/987654321", null, "hook"),
            (HttpMethod.Post, $"/api/projects/{projectId}/hooks/987654321/test", null, "hook"),
            (HttpMethod.Get, "/api/projects/987654321/builds", null, "project"),
            (HttpMethod.Get, "/api/builds/987654321", null, "build"),
            (HttpMethod.Get, "/api/hooks/987654321/deliveries", null, "hook"),
            (HttpMethod.Post, "/api/hooks/987654321/recover", new { since = DateTimeOffset.UtcNow.AddDays(-1) }, "hook"),
            (HttpMethod.Get, "/api/builds/987654321/deliveries", null, "build"),
            (HttpMethod.Get, "/api/deliveries/987654321", null, "delivery"),
            (HttpMethod.Post, "/api/deliveries/987654321/redeliver", null, "delivery"),
        };

        foreach (var (method, path, body, what) in calls)
        {
            using var response = body is null ? await Server.Admin.SendEmptyAsync(method, path) : await Server.Admin.SendJsonAsync(method, path, body);
            var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, what);
            Assert.Contains("not found", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("status=nope", "status")]
    [InlineData("status=1", "status")]
    [InlineData("status=pending,held", "status")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1e3", "limit")]
    [InlineData("before=yesterday", "before")]
    public async Task A_bad_delivery_list_filter_is_a_400_problem_that_names_it(string query, string parameter)
    {
        var (projectId, _) = await Server.CreateProjectAsync("filtered");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();

        var build = (await Server.ReportBuildAsync(projectId)).GetProperty("id").GetInt64();

        // A hook's list and a build's read their filters alike.
        foreach (var list in new[] { $"/api/hooks/{hookId}/deliveries", $"/api/builds/{build}/deliveries" })
        {
            using var response = await Server.Admin.GetAsync(new Uri($"{list}?{query}", UriKind.Relative));
            await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, parameter);
        }
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("before=-x", "before")]
    public async Task A_bad_build_list_filter_is_a_400_problem_that_names_it(string query, string parameter)
    {
        var (projectId, _) = await Server.CreateProjectAsync("filtered-builds");

        using var response = await Server.Admin.GetAsync(new Uri($"/api/projects/{projectId}/builds?{query}", UriKind.Relative));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, parameter);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("SUCCEEDED")]
    [InlineData("failed")]
    [InlineData("held")]
    [InlineData("cancelled")]
    public async Task Every_delivery_status_is_a_valid_filter(string status)
    {
        var (projectId, _) = await Server.CreateProjectAsync("statuses");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();

        var deliveries = await Server.GetAsync($"/api/hooks/{hookId}/deliveries?status={status}&limit=1");

        Assert.Empty(deliveries.EnumerateArray());
    }

    [Theory]
    [InlineData("limit=-5")]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("limit=100000")]
    [InlineData("limit=abc")]
    [InlineData("limit=2147483648")]
    public async Task A_limit_outside_1_to_500_is_a_400_problem_on_every_list_that_pages(string query)
    {
        var (projectId, _) = await Server.CreateProjectAsync("paged");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();
        var build = (await Server.ReportBuildAsync(projectId)).GetProperty("id").GetInt64();
        var bin = (await Server.PostAsync("/api/bins", new { })).GetProperty("id").GetString();

        foreach (var list in new[]
        {
            $"/api/projects/{projectId}/builds", $"/api/hooks/{hookId}/deliveries", $"/api/builds/{build}/deliveries", "/api/bins", $"/api/bins/{bin}/requests",
        })
        {
            using var response = await Server.Admin.GetAsync(new Uri($"{list}?{query}", UriKind.Relative));
            var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "limit", "1 to 500", "default 50");
            Assert.DoesNotContain("Nullable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    public async Task The_ends_of_the_limit_range_are_accepted(int limit)
    {
        var (projectId, _) = await Server.CreateProjectAsync("paged-ends");
        await Server.ReportBuildAsync(projectId);
        await Server.ReportBuildAsync(projectId);

        var builds = await Server.GetAsync($"/api/projects/{projectId}/builds?limit={limit}");

        Assert.Equal(Math.Min(limit, 2), builds.GetArrayLength());
    }

    [Fact]
    public async Task Recover_without_since_is_a_400_problem_that_names_it()
    {
        var (projectId, _) = await Server.CreateProjectAsync("recover");
        var hookId = (await Server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();

        using var response = await Server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/hooks/{hookId}/recover", new { });

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "since");
    }

    [Fact]
    public async Task A_method_the_path_does_not_have_is_a_405_problem()
    {
        using var response = await Server.Admin.SendRawAsync(HttpMethod.Put, "/api/projects", "{}");

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("PUT", "/api/projects", "POST")]
    [InlineData("DELETE", "/api/projects", "GET")]
    [InlineData("PUT", "/projects/anykey/badge.svg", "HEAD")]
    [InlineData("DELETE", "/", "GET")]
    public async Task A_method_the_path_does_not_have_is_a_405_for_a_caller_without_a_token_too(string method, string path, string allowed)
    {
        // The authorization fallback policy answered these with a bearer 401, which tells a caller to find a token
        // that would not help.
        using var response = await Server.Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, method);
        Assert.Contains(allowed, response.Content.Headers.Allow);
    }

    [Fact]
    public async Task HEAD_on_the_site_root_redirects_like_GET()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Anonymous.BaseAddress };

        using var response = await noRedirects.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/projects", response.Headers.Location!.OriginalString);
    }
}
