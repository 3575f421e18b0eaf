using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests;

/// <summary>The build page that build_url points at: details, artifacts with working links, and the deliveries.</summary>
public sealed class WebBuildPageTests
{
    [BrowserFact]
    public async Task The_build_page_opens_from_the_project_page_with_its_artifacts_and_deliveries()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("shipio-example-ios");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url });

        // A failed build first, then CI's way: open the build as running, upload an artifact, finish it.
        await server.ReportBuildAsync(projectId, token, "fail");
        using var ci = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        ci.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = DateTimeOffset.UtcNow.AddSeconds(-158);
        using var opened = await ci.PostAsJsonAsync($"/api/projects/{projectId}/builds", new Dictionary<string, object>
        {
            ["commit"] = "e91e132612d263d95211aae6de2df9e503f22704",
            ["author"] = "Dan Sosedoff",
            ["committer"] = "Jane Committer",
            ["message"] = "Fix the login screen",
            ["branch"] = "master",
            ["status"] = "running",
            ["started_at"] = started,
        });
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        var build = (await opened.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>());
        var buildId = build.GetProperty("id").GetInt64();
        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes("release notes for #2\n"));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(file, "file", "notes.txt");
            using var uploaded = await ci.PostAsync(new Uri($"/api/builds/{buildId}/artifacts", UriKind.Relative), form);
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        }

        using var finished = await ci.PatchAsJsonAsync($"/api/builds/{buildId}", new Dictionary<string, object> { ["status"] = "pass", ["finished_at"] = started.AddSeconds(158) });
        Assert.True(finished.IsSuccessStatusCode, await finished.Content.ReadAsStringAsync());
        await receiver.WaitForAsync(2);

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);
        await page.GotoAsync($"/projects/{projectId}");
        await Expect(page.Locator("#builds-title + .table-wrap tbody tr")).ToHaveCountAsync(2);
        await Chromium.ScreenshotAsync(page, "13-project-with-builds");
        await page.GetByRole(AriaRole.Link, new() { Name = "Build #2" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/projects/{projectId}/builds/{buildId}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("shipio-example-ios #2");
        await Expect(page.Locator("#build-status")).ToHaveTextAsync("pass");
        var details = page.Locator("dl.facts");
        await Expect(details).ToContainTextAsync("e91e132612d263d95211aae6de2df9e503f22704");
        await Expect(details).ToContainTextAsync("Dan Sosedoff");
        await Expect(details).ToContainTextAsync("Jane Committer");
        await Expect(details).ToContainTextAsync("Fix the login screen");
        await Expect(details).ToContainTextAsync("2m 38s");

        // The artifact's link is the payload's download_url, and it downloads the file.
        var link = page.GetByRole(AriaRole.Link, new() { Name = "notes.txt" });
        var href = (await link.GetAttributeAsync("href"))!;
        Assert.Matches(new Regex(@"/builds/[0-9a-f-]{36}/artifacts/[0-9a-f-]{36}/notes\.txt\?build_access_token=."), href);
        using var download = await new HttpClient().GetAsync(new Uri(href));
        Assert.Equal("release notes for #2\n", await download.Content.ReadAsStringAsync());

        // The delivery it caused, linking to the hook's log.
        var deliveries = page.Locator("#build-deliveries tbody tr");
        await Expect(deliveries).ToHaveCountAsync(1);
        await Expect(deliveries.First.Locator(".badge")).ToHaveTextAsync("succeeded");
        await Expect(deliveries.First).ToContainTextAsync("200");
        await Chromium.ScreenshotAsync(page, "09-build");
        await deliveries.First.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/projects/{projectId}/hooks/{hookId}"));
        await Expect(page.Locator("#delivery-log > li.delivery").First).ToContainTextAsync("build #2");
    }

    [BrowserFact]
    public async Task The_build_page_needs_sign_in_and_an_unknown_build_is_not_found()
    {
        await using var server = await InProcessServer.StartAsync();
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var buildId = (await server.ReportBuildAsync(projectId, token)).GetProperty("id").GetInt64();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var stranger = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl });
        await stranger.GotoAsync($"/projects/{projectId}/builds/{buildId}");
        await Expect(stranger).ToHaveURLAsync(new Regex("/signin"));

        var page = await AdminApi.SignedInPageAsync(browser, server);
        Assert.Equal(200, (await page.GotoAsync($"/projects/{projectId}/builds/{buildId}"))!.Status);
        Assert.Equal(404, (await page.GotoAsync($"/projects/{projectId}/builds/{buildId + 1}"))!.Status);
        Assert.Equal(404, (await page.GotoAsync($"/projects/{projectId + 1}/builds/{buildId}"))!.Status);
    }
}
