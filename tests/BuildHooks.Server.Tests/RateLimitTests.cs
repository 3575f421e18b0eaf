using System.Net;
using System.Net.Http.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_token_over_its_limit_gets_429_Problem_Details_with_Retry_After_while_other_callers_go_on()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:RateLimit:PermitLimit"] = "5",
            ["BuildHooks:RateLimit:Window"] = "00:00:30",
        });
        var (projectId, reportToken) = await server.CreateProjectAsync();
        for (var i = 0; i < 4; i++)
        {
            using var ok = await server.Admin.GetAsync(new Uri("/api/projects", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await server.Admin.GetAsync(new Uri("/api/projects", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 30);
        var problem = await BuildHooksServer.ReadAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        Assert.Contains("Retry-After", problem.Str("detail"), StringComparison.Ordinal);

        // Another token has its own budget; health checks are not API calls and are never limited.
        using var reporter = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        reporter.DefaultRequestHeaders.Authorization = new("Bearer", reportToken);
        using var report = await reporter.PostAsJsonAsync($"/api/projects/{projectId}/builds", new
        {
            commit = "e91e132612d263d95211aae6de2df9e503f22704", author = "Dan Sosedoff", message = "m", branch = "master",
            status = "pass", started_at = DateTimeOffset.UtcNow.AddMinutes(-1), finished_at = DateTimeOffset.UtcNow,
        }, BuildHooksServer.Json);
        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        for (var i = 0; i < 10; i++)
        {
            using var health = await server.Anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task Callers_without_a_valid_token_are_limited_by_address_so_token_guessing_is_throttled()
    {
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:RateLimit:PermitLimit"] = "3",
            ["BuildHooks:RateLimit:Window"] = "00:00:30",
        });
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var guess = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/projects", UriKind.Relative));
            guess.Headers.Authorization = new("Bearer", $"guess-{i}");
            using var response = await server.Anonymous.SendAsync(guess);
            answers.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
        // The admin token is its own partition and still works.
        using var admin = await server.Admin.GetAsync(new Uri("/api/projects", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}
