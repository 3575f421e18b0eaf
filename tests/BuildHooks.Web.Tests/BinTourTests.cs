using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests;

/// <summary>Request bins in a real browser: create one, send to it from outside, watch the request arrive and open it.</summary>
public sealed class BinTourTests
{
    private static async Task<IPage> SignedInPageAsync(IBrowser browser, InProcessServer server)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(10_000);
        await page.GotoAsync("/signin");
        await page.GetByLabel("Admin token").FillAsync(InProcessServer.AdminToken);
        await page.GetByLabel("Admin token").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    [BrowserFact]
    public async Task A_bin_made_in_the_ui_shows_a_request_sent_to_its_url_without_a_reload()
    {
        await using var server = await InProcessServer.StartAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await SignedInPageAsync(browser, server);

        // From the main navigation, with the keyboard: name the bin, pick the status it answers with.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Request bins" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Request bins", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync("tour bin");
        await page.GetByLabel("Answer with status").FillAsync("202");
        await page.GetByLabel("Answer with status").PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "tour bin", Level = 1 })).ToBeVisibleAsync();
        var url = (await page.Locator("#capture-url").TextContentAsync())!.Trim();
        Assert.Matches($"^{Regex.Escape(server.BaseUrl)}/bins/[A-Za-z0-9_-]{{22}}$", url);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        await Expect(page.Locator("#bin-empty")).ToBeVisibleAsync();
        await Expect(page.Locator("#bin-log")).ToHaveAttributeAsync("data-live", "on");
        await page.EvaluateAsync("() => window.stillHere = true");

        // Someone else sends to the URL: it appears at the top of the list, live.
        using var client = new HttpClient();
        using (var request = new HttpRequestMessage(HttpMethod.Put, url + "/deploy/42?env=staging"))
        {
            request.Content = new StringContent("{\"build\":{\"state\":\"passed\",\"number\":42}}", Encoding.UTF8, "application/json");
            request.Headers.Add("X-Tour", "from-a-test");
            using var response = await client.SendAsync(request);
            Assert.Equal(202, (int)response.StatusCode);
        }

        var captured = page.Locator("#bin-log > li.bin-request");
        await Expect(captured).ToHaveCountAsync(1);
        await Expect(page.Locator("#bin-empty")).ToBeHiddenAsync();
        await Expect(page.Locator("#bin-count")).ToHaveTextAsync("1");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillHere === true"), "The request appeared only after a reload.");
        await Expect(captured.Locator("summary")).ToContainTextAsync("PUT");
        await Expect(captured.Locator("summary")).ToContainTextAsync("/deploy/42?env=staging");

        // Open it: headers, the query and the body, the JSON indented.
        await captured.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(captured.Locator("table.headers").Last).ToContainTextAsync("from-a-test");
        await Expect(captured.Locator("table.query")).ToContainTextAsync("staging");
        await Expect(captured.Locator("pre.body")).ToContainTextAsync("\"build\": {\n    \"state\": \"passed\"");
        await Chromium.ScreenshotAsync(page, "bin-01-captured-request");

        // A second one goes above the first.
        using (var response = await client.PostAsync(url, new StringContent("plain words", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(202, (int)response.StatusCode);
        }

        await Expect(captured).ToHaveCountAsync(2);
        await Expect(captured.First.Locator("summary")).ToContainTextAsync("POST");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await Chromium.ScreenshotAsync(page, "bin-02-captured-request-dark");

        // The list of bins links to it.
        await page.GotoAsync("/request-bins");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "tour bin" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "tour bin" })).ToContainTextAsync("202");
    }

    [BrowserFact]
    public async Task Send_this_projects_hooks_here_adds_a_hook_whose_builds_show_up_in_a_new_bin()
    {
        await using var server = await InProcessServer.StartAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        using var admin = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InProcessServer.AdminToken);
        using var created = await admin.PostAsJsonAsync("/api/projects", new { name = "magnum-example" });
        var project = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var projectId = project.GetProperty("id").GetInt64();
        var page = await SignedInPageAsync(browser, server);

        await page.GotoAsync($"/projects/{projectId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Manage Notifications" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Manage Notifications" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send this project's hooks here" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/request-bins/[A-Za-z0-9_-]{22}"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "magnum-example hooks", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Hook added");
        await Expect(page.Locator("#bin-log")).ToHaveAttributeAsync("data-live", "on");

        // A build reported by CI is delivered to the bin, and shows up decoded: the form's payload field as JSON.
        await server.ReportBuildAsync(projectId, project.GetProperty("report_token").GetString()!);
        var captured = page.Locator("#bin-log > li.bin-request");
        await Expect(captured).ToHaveCountAsync(1);
        await captured.Locator("summary").ClickAsync();
        await Expect(captured.Locator("pre.body")).ToContainTextAsync("payload =");
        await Expect(captured.Locator("pre.body")).ToContainTextAsync("\"project_id\": " + projectId);
        await Expect(captured.Locator("table.headers")).ToContainTextAsync("webhook-signature");
        await Chromium.ScreenshotAsync(page, "bin-03-project-hooks-in-a-bin");
    }
}
