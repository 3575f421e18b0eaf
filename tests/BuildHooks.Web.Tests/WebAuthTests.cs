using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

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

    [BrowserFact]
    public async Task A_link_to_something_that_is_not_there_opens_a_404_page_that_says_what_is_missing()
    {
        await using var server = await InProcessServer.StartAsync();
        using var api = new AdminApi(server);
        var (projectId, _, _) = await api.CreateProjectAsync("app");
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);

        var cases = new (string Path, string Says)[]
        {
            ("/projects/999", "No project 999 — it was deleted, or the link is wrong."),
            ($"/projects/{projectId}/hooks/999", $"No hook 999 in project {projectId} — it was deleted, or the link is wrong."),
            ($"/projects/{projectId}/builds/999", $"No build 999 in project {projectId} — it was deleted, or the link is wrong."),
            ("/request-bins/nonexistent", "No request bin nonexistent — it expired or was deleted, or the link is wrong."),
            // Paths no page matches (not a number, too large a number, not a UUID): the same page, not a bearer-token 401.
            ("/projects/abc", "Nothing is at /projects/abc"),
            ($"/projects/{projectId}/builds/99999999999999999999", "Nothing is at"),
            ("/builds/not-a-uuid/artifacts/x/app.zip?build_access_token=abc", "Nothing is at /builds/not-a-uuid/artifacts/x/app.zip"),
        };
        foreach (var (path, says) in cases)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 404, $"{path} answered {response.Status}");
            Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(says);
            // In the site's layout, signed in: the header's navigation is there.
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the projects" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/projects$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "app" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_path_nothing_serves_is_a_404_not_a_401_while_the_api_keeps_its_problem_details()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };

        // A browser that is not signed in gets the 404 page; a script gets Problem Details; neither a 401.
        foreach (var path in new[] { "/projects/abc", "/builds/not-a-uuid/artifacts/x/app.zip?build_access_token=abc", "/no-such-page" })
        {
            using var html = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } } };
            using var page = await client.SendAsync(html);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Nothing is at", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var script = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
            Assert.Equal("application/problem+json", script.Content.Headers.ContentType!.MediaType);
        }

        // A page's route with an id that is not there needs the session first, as every page does.
        using var signIn = await client.GetAsync(new Uri("/projects/999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // The API is unchanged: without a token, 401 Problem Details; with one, a missing project is a 404 Problem Details.
        using var api = await client.GetAsync(new Uri("/api/projects/999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InProcessServer.AdminToken);
        using var missing = await client.GetAsync(new Uri("/api/projects/999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
    }
}
