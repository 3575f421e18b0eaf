using System.Text.RegularExpressions;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests;

/// <summary>The hook page: redeliver, recover failed deliveries, and the banner of a disabled hook, live.</summary>
public sealed class WebHookPageTests
{
    [BrowserFact]
    public async Task A_redelivery_pressed_on_the_hook_page_shows_its_new_attempt_live()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url });
        await server.ReportBuildAsync(projectId, token);
        await receiver.WaitForAsync(1);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);
        await page.GotoAsync($"/projects/{projectId}/hooks/{hookId}");
        var delivery = page.Locator("#delivery-log > li.delivery").First;
        await Expect(delivery).ToContainTextAsync("1 attempt");

        // The receiver holds its answer until the page is back and listening, so the attempt can only arrive live.
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await delivery.Locator("summary").First.ClickAsync();
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Expect(delivery.Locator("summary .badge").First).ToHaveTextAsync("pending");
        await Expect(page.Locator("#delivery-log")).ToHaveAttributeAsync("data-live", "on");
        await page.EvaluateAsync("() => window.stillHere = true");
        receiver.Gate.SetResult();

        await Expect(delivery).ToContainTextAsync("2 attempts");
        await Expect(delivery.Locator("summary .badge").First).ToHaveTextAsync("succeeded");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillHere === true"), "The page reloaded instead of showing the attempt live.");
        await delivery.Locator("summary").First.ClickAsync();
        await Expect(delivery.Locator("li.attempt")).ToHaveCountAsync(2);
        await Expect(delivery.Locator("li.attempt").Nth(1)).ToContainTextAsync("(manual)");
    }

    [BrowserFact]
    public async Task Recover_failed_since_sends_the_failed_deliveries_again()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        receiver.Status = 500;
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 });
        await server.ReportBuildAsync(projectId, token);
        await server.ReportBuildAsync(projectId, token, "fail");
        await receiver.WaitForAsync(2);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);
        await page.GotoAsync($"/projects/{projectId}/hooks/{hookId}");
        var badges = page.Locator("#delivery-log > li.delivery > details > summary > .badge:first-child");
        await Expect(badges).ToHaveTextAsync(["failed", "failed"]);

        receiver.Status = 200;
        await Expect(page.GetByLabel("Recover failed since")).ToHaveValueAsync(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Recover failed" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "sent again" })).ToContainTextAsync("2 failed deliveries since");
        await Expect(badges).ToHaveTextAsync(["succeeded", "succeeded"]);
        await receiver.WaitForAsync(4);

        // A time after both deliveries finds nothing to send.
        await page.GetByLabel("Recover failed since").FillAsync(DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Recover failed" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "nothing to send" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task A_hook_disabled_by_a_410_while_its_page_is_open_shows_why_and_when_live_and_re_enables()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        receiver.Status = 410;
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url });
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await OpenLiveHookPageAsync(browser, server, projectId, hookId);

        await server.ReportBuildAsync(projectId, token);

        var banner = page.GetByRole(AriaRole.Status).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "BuildHooks disabled this hook" }) });
        await Expect(banner).ToContainTextAsync("The receiver answered 410 Gone");
        await Expect(page.Locator(".heading-side .badge")).ToHaveTextAsync("disabled");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillHere === true"), "The page reloaded instead of showing the change live.");

        // Rendered with the page as well.
        await page.ReloadAsync();
        await Expect(banner).ToContainTextAsync("The receiver answered 410 Gone");
        await Expect(banner.Locator("time")).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"));
        await Chromium.ScreenshotAsync(page, "12-hook-disabled");

        // Recovering waits for the hook to be enabled; the page refuses in the API's words.
        var apiRefusal = await api.RefusalAsync(HttpMethod.Post, $"/api/hooks/{hookId}/recover", new { since = DateTime.UtcNow.AddDays(-1) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Recover failed" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(apiRefusal);

        receiver.Status = 200;
        await banner.GetByRole(AriaRole.Button, new() { Name = "Re-enable" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "BuildHooks disabled this hook" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".heading-side .badge")).ToHaveTextAsync("enabled");
        Assert.True((await api.HookAsync(projectId, hookId)).GetProperty("enabled").GetBoolean());

        // Working again: the next build is delivered and shows up in the log.
        await server.ReportBuildAsync(projectId, token);
        await Expect(page.Locator("#delivery-log > li.delivery").First.Locator("summary .badge").First).ToHaveTextAsync("succeeded");
    }

    [BrowserFact]
    public async Task A_hook_disabled_through_the_api_while_its_page_is_open_shows_the_banner_live()
    {
        await using var server = await InProcessServer.StartAsync();
        using var api = new AdminApi(server);
        var (projectId, _, _) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hooks/ci" });
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await OpenLiveHookPageAsync(browser, server, projectId, hookId);
        var heading = page.GetByRole(AriaRole.Heading, new() { Name = "This hook is disabled" });
        var banner = page.GetByRole(AriaRole.Status).Filter(new() { Has = heading });
        var badge = page.Locator(".heading-side .badge");
        await Expect(heading).ToHaveCountAsync(0);

        await api.SendAsync(HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}", new { enabled = false });
        await Expect(banner).ToContainTextAsync("Disabled by a user.");
        await Expect(banner.Locator("time")).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"));
        await Expect(badge).ToHaveTextAsync("disabled");

        await api.SendAsync(HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}", new { enabled = true });
        await Expect(heading).ToHaveCountAsync(0);
        await Expect(badge).ToHaveTextAsync("enabled");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillHere === true"), "The page reloaded instead of showing the change live.");

        // The banner that arrived live re-enables as the rendered one does.
        await api.SendAsync(HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}", new { enabled = false });
        await banner.GetByRole(AriaRole.Button, new() { Name = "Re-enable" }).ClickAsync();
        await Expect(heading).ToHaveCountAsync(0);
        await Expect(badge).ToHaveTextAsync("enabled");
        Assert.True((await api.HookAsync(projectId, hookId)).GetProperty("enabled").GetBoolean());
    }

    /// <summary>The hook page, signed in and listening to its live stream, marked so that a reload would show.</summary>
    private static async Task<IPage> OpenLiveHookPageAsync(IBrowser browser, InProcessServer server, long projectId, long hookId)
    {
        var page = await AdminApi.SignedInPageAsync(browser, server);
        await page.GotoAsync($"/projects/{projectId}/hooks/{hookId}");
        await Expect(page.Locator(".heading-side .badge")).ToHaveTextAsync("enabled");
        await Expect(page.Locator("#delivery-log")).ToHaveAttributeAsync("data-live", "on");
        await page.EvaluateAsync("() => window.stillHere = true");
        return page;
    }
}
