using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// The URL, header and body limits, sent for real over a raw connection: each is refused with a Problem Details that
/// names the limit and what was sent, not Kestrel's bare status.
/// </summary>
public sealed class RequestLimitTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly string Authorization = $"Authorization: Bearer {InProcessServer.AdminToken}";

    private BuildHooksServer Server => fixture.Server;

    [Fact]
    public async Task A_url_over_8_KB_is_a_414_problem_that_names_the_limit_and_its_size()
    {
        var target = "/api/projects?name=" + new string('n', 9000);

        using var response = await RawHttp.SendAsync(Server.BaseUrl, $"GET {target} HTTP/1.1", [Authorization]);

        var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestUriTooLong, "8192", $"{target.Length}", "MaxUrlBytes");
        Assert.Contains("URL", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_over_32_KB_are_a_431_problem_that_names_the_limit_and_their_size()
    {
        var headers = Enumerable.Range(0, 40).Select(i => $"X-Padding-{i:D2}: {new string('p', 1000)}").Append(Authorization).ToList();

        using var response = await RawHttp.SendAsync(Server.BaseUrl, "GET /api/projects HTTP/1.1", headers);

        var problem = await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "32768", "MaxRequestHeadersBytes");
        Assert.Contains("header", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task More_than_100_headers_are_a_431_problem_that_names_the_limit()
    {
        var headers = Enumerable.Range(0, 150).Select(i => $"X-Many-{i:D3}: m").Append(Authorization).ToList();

        using var response = await RawHttp.SendAsync(Server.BaseUrl, "GET /api/projects HTTP/1.1", headers);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "100", "MaxRequestHeaders");
    }

    [Fact]
    public async Task A_url_and_headers_just_under_the_limits_are_served()
    {
        var target = "/api/projects?name=" + new string('n', 8000);
        var headers = Enumerable.Range(0, 30).Select(i => $"X-Padding-{i:D2}: {new string('p', 1000)}").Append(Authorization).ToList();

        using var response = await RawHttp.SendAsync(Server.BaseUrl, $"GET {target} HTTP/1.1", headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_announced_over_1_MB_is_a_413_problem_that_names_the_limit_and_its_size()
    {
        using var response = await RawHttp.SendAsync(Server.BaseUrl, "POST /api/projects HTTP/1.1",
            [Authorization, "Content-Type: application/json", "Content-Length: 2000000"]);

        await ApiProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "1048576", "2000000");
    }
}
