using System.Net;
using BuildHooks.Web.Tests.Infrastructure;

namespace BuildHooks.Web.Tests;

/// <summary>The cookie session of the pages and the bearer tokens of the API stay apart.</summary>
public sealed class WebAuthTests
{
    [Fact]
    public async Task Pages_redirect_to_sign_in_while_the_api_answers_401_problem_details()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };

        using var pageResponse = await client.GetAsync(new Uri("/projects", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, pageResponse.StatusCode);
        Assert.Contains("/signin", pageResponse.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var apiResponse = await client.GetAsync(new Uri("/api/projects", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, apiResponse.StatusCode);
        Assert.Equal("application/problem+json", apiResponse.Content.Headers.ContentType!.MediaType);

        using var events = await client.GetAsync(new Uri("/web/hooks/1/deliveries/events", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
    }

    [Fact]
    public async Task Sign_in_needs_the_antiforgery_token()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = InProcessServer.AdminToken });

        using var response = await client.PostAsync(new Uri("/signin", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("buildhooks=", StringComparison.Ordinal)));
    }
}
