using System.Net;
using System.Text;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Nothing a client sends makes the server answer 5xx or stop answering.</summary>
public sealed class ApiFuzzTests
{
    private const int BodiesPerEndpoint = 300;
    private const int Seed = 20261124;

    [Fact]
    public async Task Garbage_bodies_get_4xx_problems_never_5xx_and_the_server_stays_up()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync("fuzzed");
        var hookId = (await server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/fuzz" })).GetProperty("id").GetInt64();
        var buildId = (await server.PostAsync($"/api/projects/{projectId}/builds", new
        {
            commit = "e91e132", branch = "master", status = "running", started_at = DateTimeOffset.UtcNow,
        })).GetProperty("id").GetInt64();
        var endpoints = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Post, "/api/projects"),
            (HttpMethod.Patch, $"/api/projects/{projectId}"),
            (HttpMethod.Post, $"/api/projects/{projectId}/hooks"),
            (HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}"),
            (HttpMethod.Post, $"/api/projects/{projectId}/builds"),
            (HttpMethod.Patch, $"/api/builds/{buildId}"),
            (HttpMethod.Post, $"/api/hooks/{hookId}/recover"),
        };

        var garbage = new ApiGarbage(Seed);
        var wrong = new List<string>();
        var statuses = new Dictionary<int, int>();
        foreach (var (method, path) in endpoints)
        {
            for (var i = 0; i < BodiesPerEndpoint; i++)
            {
                var (body, contentType, kind) = garbage.Next();
                using var response = await server.Admin.SendRawAsync(method, path, body, contentType);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var problem = status >= 500 ? "a 5xx"
                    : status >= 400 && response.Content.Headers.ContentType?.MediaType != ApiProblemAssert.ProblemJson ? "a 4xx without problem+json"
                    : status >= 400 && !text.Contains("\"detail\"", StringComparison.Ordinal) ? "a 4xx problem without detail"
                    : null;
                if (problem is not null)
                {
                    wrong.Add($"{problem}: {method} {path} [{kind}, {contentType}] {Excerpt(body)} → {status} {Excerpt(Encoding.UTF8.GetBytes(text))}");
                }
            }
        }

        using var health = await server.Anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(statuses.Keys.Any(s => s is >= 400 and < 500), "the garbage should mostly be refused");
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} of {endpoints.Length * BodiesPerEndpoint} answers were wrong (seed {Seed}); statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}:{Environment.NewLine}" +
            string.Join(Environment.NewLine, wrong.OrderBy(w => w.StartsWith("a 5xx", StringComparison.Ordinal) ? 0 : 1).Take(40)));
    }

    private static string Excerpt(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= 160 ? text : text[..160] + $"… ({bytes.Length} bytes)";
    }
}
