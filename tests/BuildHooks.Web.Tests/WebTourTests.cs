using System.Text.RegularExpressions;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests;

/// <summary>The tour a new user takes, in a real browser against the real server and a real receiver.</summary>
public sealed class WebTourTests
{
    [BrowserFact]
    public async Task A_new_user_signs_in_adds_a_hook_tests_it_and_watches_a_build_arrive_in_the_log()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(10_000);

        // Sign in: pages send a stranger to the sign-in form, which takes the admin token.
        await page.GotoAsync("/projects");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.GetByLabel("Admin token").FillAsync(InProcessServer.AdminToken);
        await Chromium.ScreenshotAsync(page, "01-sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Level = 1 })).ToBeVisibleAsync();

        // Create a project; its report token is shown once.
        await page.GetByLabel("Name").FillAsync("shipio-example-ios");
        await page.GetByLabel("Repository URL").FillAsync("https://github.com/shipio/shipio-example-ios");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        var token = (await page.Locator("#report-token").TextContentAsync())!.Trim();
        Assert.StartsWith("bhr_", token, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "shipio-example-ios", Exact = true })).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "02-projects");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open shipio-example-ios →" }).ClickAsync();
        var projectId = long.Parse(Regex.Match(page.Url, @"/projects/(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // Manage Notifications → Webhooks, from the keyboard: add a hook; its secret is shown once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Manage Notifications" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Manage Notifications" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Tab, new() { Name = "Webhooks" })).ToHaveAttributeAsync("aria-selected", "true");
        await dialog.GetByLabel("Payload URL").FillAsync(receiver.Url);
        await dialog.GetByLabel("Format").SelectOptionAsync("magnum");
        await dialog.GetByLabel("Content type").SelectOptionAsync("form");
        await dialog.GetByLabel("fail", new() { Exact = true }).CheckAsync();
        await dialog.GetByLabel("Branch filters").FillAsync("master, release/*");
        await Expect(dialog.GetByLabel("Enabled")).ToBeCheckedAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("#hook-secret")).ToHaveTextAsync(new Regex("^whsec_"));
        await Chromium.ScreenshotAsync(page, "03-manage-notifications");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();

        // Test: the receiver's status, time and body appear inline, without leaving the page.
        var hook = page.Locator("li.hook").First;
        await Expect(hook.Locator(".hook-url")).ToHaveTextAsync(receiver.Url);
        await page.EvaluateAsync("() => window.stillHere = true");
        await hook.GetByRole(AriaRole.Button, new() { Name = "Test" }).ClickAsync();
        var answer = hook.Locator(".test-result");
        await Expect(answer.Locator(".badge")).ToHaveTextAsync("200");
        await Expect(answer).ToContainTextAsync(" ms");
        await Expect(answer.Locator("pre")).ToContainTextAsync("\"received\":true");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillHere === true"), "Test reloaded the page instead of answering inline.");
        Assert.Equal(1, receiver.Count);
        await Chromium.ScreenshotAsync(page, "04-project");

        // The hook's log: a build reported through the API appears without a reload.
        await hook.GetByRole(AriaRole.Link, new() { Name = "Delivery log →" }).ClickAsync();
        var log = page.Locator("#delivery-log > li.delivery");
        await Expect(log).ToHaveCountAsync(1);
        await Expect(page.Locator("#delivery-log")).ToHaveAttributeAsync("data-live", "on");
        await page.EvaluateAsync("() => window.stillHere = true");
        var build = await server.ReportBuildAsync(projectId, token);
        await receiver.WaitForAsync(2);
        await Expect(log).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        var live = log.First;
        await Expect(live.Locator("summary .badge").First).ToHaveTextAsync("succeeded", new() { Timeout = 15_000 });
        await Expect(live).ToContainTextAsync($"build #{build.GetProperty("number").GetInt32()}");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillHere === true"), "The log reloaded the page instead of updating live.");

        // Open the delivery and its attempt: headers both ways, the form payload decoded and pretty-printed.
        await live.Locator("summary").First.ClickAsync();
        await Expect(live.Locator(".delivery-body > pre.body")).ToContainTextAsync("payload =");
        await Expect(live.Locator(".delivery-body > pre.body")).ToContainTextAsync("\"title\": \"[PASS] shipio-example-ios #1 (master - e91e132) by Dan Sosedoff\"");
        var attempt = live.Locator("li.attempt").First;
        await attempt.Locator("summary").ClickAsync();
        await Expect(attempt.Locator("table.headers").First).ToContainTextAsync("webhook-signature");
        await Expect(attempt.Locator("table.headers").Nth(1)).ToContainTextAsync("Content-Type");
        await Expect(attempt.Locator("pre.body")).ToContainTextAsync("\"received\": true");
        await Chromium.ScreenshotAsync(page, "05-hook-delivery-log");

        // Redeliver: the same delivery goes out again and shows its second attempt.
        await live.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await receiver.WaitForAsync(3);
        var redelivered = page.Locator($"#{await live.GetAttributeAsync("id")}");
        await Expect(redelivered).ToContainTextAsync("2 attempts", new() { Timeout = 15_000 });
        await Expect(log).ToHaveCountAsync(2);
        await Chromium.ScreenshotAsync(page, "06-redelivered");

        // Readable in dark mode and on a phone.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Chromium.ScreenshotAsync(page, "07-hook-dark");
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/projects/{projectId}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Manage Notifications" })).ToBeInViewportAsync();
        await Chromium.ScreenshotAsync(page, "08-project-phone-dark");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        // Sign out: the pages are closed again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.GotoAsync($"/projects/{projectId}");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
    }

    [BrowserFact]
    public async Task A_wrong_token_is_refused_with_a_message_and_no_session()
    {
        await using var server = await InProcessServer.StartAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl });

        await page.GotoAsync("/signin");
        await page.GetByLabel("Admin token").FillAsync("not-the-token");
        await page.GetByLabel("Admin token").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not the admin token");
        await page.GotoAsync("/projects");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
    }

    [BrowserFact]
    public async Task Adding_a_hook_with_a_bad_url_keeps_the_dialog_open_with_the_reason()
    {
        await using var server = await InProcessServer.StartAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl });
        await page.GotoAsync("/signin");
        await page.GetByLabel("Admin token").FillAsync(InProcessServer.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("app");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Open app →" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Manage Notifications" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Manage Notifications" });
        // The browser accepts this URL; the server's rule (no credentials in the URL) refuses it.
        await dialog.GetByLabel("Payload URL").FillAsync("https://user:pass@example.com/hook");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("must not carry a user name or password");
        await Expect(page.Locator("li.hook")).ToHaveCountAsync(0);
    }
}
