using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing.Patterns;

namespace BuildHooks.Server.Tests;

/// <summary>
/// For every endpoint of the API reference that is not public by design (read from the routing table, not listed
/// by hand): no token, a wrong token, or another project's report token is refused with a 401/403 problem, and the
/// refused request changes nothing.
/// </summary>
public sealed class ApiAuthMatrixTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private BuildHooksServer Server => fixture.Server;

    /// <summary>Fields every write endpoint would accept, so a refusal cannot be mistaken for a validation error; each gets only its own (see <see cref="BodyFor"/>).</summary>
    private static readonly string ValidBody = $$"""
        {"name":"intruder","url":"http://127.0.0.1:9/","commit":"e91e132612d263d95211aae6de2df9e503f22704","branch":"master",
         "status":"pass","started_at":"{{DateTimeOffset.UtcNow.AddMinutes(-2):O}}","finished_at":"{{DateTimeOffset.UtcNow:O}}",
         "since":"{{DateTimeOffset.UtcNow.AddDays(-1):O}}","enabled":false}
        """;

    public static TheoryData<string> Callers => new() { "no token", "wrong token", "another project's report token" };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Every_protected_endpoint_refuses_the_caller_with_a_problem(string caller)
    {
        var endpoints = (await ApiEndpoints.AllAsync()).Where(e => !e.Anonymous).ToList();
        var (victim, _) = await Server.CreateProjectAsync("victim");
        var hookId = (await Server.CreateHookAsync(victim, new { url = "http://127.0.0.1:9/" })).GetProperty("id").GetInt64();
        var buildId = (await Server.ReportBuildAsync(victim)).GetProperty("id").GetInt64();
        var deliveryId = await FirstDeliveryAsync(hookId);
        var (_, otherToken) = await Server.CreateProjectAsync("other");
        var ids = new Dictionary<string, long> { ["projects"] = victim, ["hooks"] = hookId, ["builds"] = buildId, ["deliveries"] = deliveryId };
        var victimKey = (await Server.GetAsync($"/api/projects/{victim}")).GetProperty("key").GetString()!;
        var (authorization, expected) = caller switch
        {
            "no token" => ((AuthenticationHeaderValue?)null, HttpStatusCode.Unauthorized),
            "wrong token" => (new AuthenticationHeaderValue("Bearer", "bh_not-a-real-token"), HttpStatusCode.Unauthorized),
            _ => (new AuthenticationHeaderValue("Bearer", otherToken), HttpStatusCode.Forbidden),
        };

        var wrong = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = PathFor(endpoint.Route, ids, victimKey);
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(path, UriKind.Relative));
            request.Headers.Authorization = authorization;
            if (endpoint.Method is "POST" or "PATCH" or "PUT")
            {
                request.Content = new StringContent(BodyFor(endpoint), Encoding.UTF8, "application/json");
            }

            using var response = await Server.Anonymous.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            try
            {
                Assert.True(response.StatusCode == expected, $"expected {(int)expected} but got {(int)response.StatusCode}: {text}");
                ApiProblemAssert.IsProblemBody(response, text);
                if (expected == HttpStatusCode.Unauthorized)
                {
                    Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
                }
            }
            catch (Xunit.Sdk.XunitException e)
            {
                wrong.Add($"{endpoint.Method} {path}: {e.Message}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {endpoints.Count} endpoints let {caller} through or answered wrongly:{Environment.NewLine}{string.Join(Environment.NewLine, wrong)}");
        var project = await Server.GetAsync($"/api/projects/{victim}");
        Assert.Equal("victim", project.GetProperty("name").GetString());
        Assert.True((await Server.GetAsync($"/api/projects/{victim}/hooks/{hookId}")).GetProperty("enabled").GetBoolean());
        Assert.Single((await Server.GetAsync($"/api/projects/{victim}/builds")).EnumerateArray());
    }

    [Fact]
    public async Task The_matrix_covers_every_api_endpoint_but_the_public_ones()
    {
        var endpoints = await ApiEndpoints.AllAsync();

        // Public by design: artifact downloads carry the build's access token in the URL instead of a bearer token.
        var open = endpoints.Where(e => e.Anonymous).Select(e => e.Route.RawText!).ToList();
        Assert.All(open, route => Assert.False(route.StartsWith("/api/", StringComparison.Ordinal), $"{route} is under /api but needs no token"));
        Assert.Contains(endpoints, e => e.Route.RawText!.TrimEnd('/') == "/api/projects" && e.Method == "POST");
        Assert.Contains(endpoints, e => e.Route.RawText!.EndsWith("/rotate-secret", StringComparison.Ordinal));
    }

    /// <summary>The fields of <see cref="ValidBody"/> the endpoint's body has: unknown fields are a 400 that would hide the refusal.</summary>
    private static string BodyFor(ApiEndpoint endpoint)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(ValidBody)!.AsObject();
        foreach (var name in body.Select(p => p.Key).Where(k => !endpoint.BodyFields.Contains(k)).ToList())
        {
            body.Remove(name);
        }

        return body.ToJsonString();
    }

    private async Task<long> FirstDeliveryAsync(long hookId)
    {
        var deliveries = await Server.GetAsync($"/api/hooks/{hookId}/deliveries");
        return deliveries.EnumerateArray().First().GetProperty("id").GetInt64();
    }

    /// <summary>
    /// The route with the victim's real ids: a parameter takes the id of what the segment before it names
    /// (…/hooks/{hookId}); a {key} is the victim project's key.
    /// </summary>
    private static string PathFor(RoutePattern route, Dictionary<string, long> ids, string key)
    {
        var path = new StringBuilder();
        string? previous = null;
        foreach (var segment in route.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        path.Append(literal.Content);
                        previous = literal.Content;
                        break;
                    case RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content is "long" or "int"):
                        path.Append(ids.TryGetValue(previous ?? "", out var id) ? id : 1);
                        break;
                    case RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "guid"):
                        path.Append(Guid.NewGuid());
                        break;
                    case RoutePatternParameterPart parameter when parameter.Name.Equals("key", StringComparison.OrdinalIgnoreCase):
                        path.Append(Uri.EscapeDataString(key));
                        break;
                    case RoutePatternParameterPart:
                        path.Append("file.txt");
                        break;
                }
            }
        }

        return path.ToString();
    }
}
