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

    /// <summary>
    /// Sign out ends the session itself, not only the browser's copy of the cookie: a cookie taken before (from a shared
    /// machine, a proxy's log, a stolen laptop's profile) opens nothing afterwards, while a second session stays open.
    /// </summary>
    [BrowserFact]
    public async Task Sign_out_ends_the_session_so_a_copy_of_its_cookie_opens_nothing()
    {
        await using var server = await InProcessServer.StartAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);
        var other = await AdminApi.SignedInPageAsync(browser, server);
        var copied = (await page.Context.CookiesAsync()).Single(c => c.Name == "buildhooks").Value;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(client, copied, "/projects"));

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));

        Assert.Equal(HttpStatusCode.Redirect, await StatusWithAsync(client, copied, "/projects"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(client, copied, "/web/hooks/1/deliveries/events"));
        await other.GotoAsync("/projects");
        await Microsoft.Playwright.Assertions.Expect(other.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "Projects", Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task<HttpStatusCode> StatusWithAsync(HttpClient client, string cookie, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", $"buildhooks={cookie}");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
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
