using System.Text.RegularExpressions;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests;

/// <summary>Changing what exists: renaming a project, editing a hook, rotating its secret, deleting.</summary>
public sealed class WebManageTests
{
    [BrowserFact]
    public async Task A_project_renamed_on_its_page_shows_the_new_name_there_and_in_the_list()
    {
        await using var server = await InProcessServer.StartAsync();
        using var api = new AdminApi(server);
        var (projectId, _, _) = await api.CreateProjectAsync("old-name");
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);

        await page.GotoAsync($"/projects/{projectId}");
        await page.GetByLabel("Project name").FillAsync("ios-app");
        await page.GetByLabel("Main branch").FillAsync("main");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save project" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ios-app", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".heading p.muted").First).ToContainTextAsync("main branch main");
        await page.GotoAsync("/projects");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "ios-app", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "old-name", Exact = true })).ToHaveCountAsync(0);

        // An empty name is refused with the API's own message, and nothing changes.
        await page.GotoAsync($"/projects/{projectId}");
        await page.GetByLabel("Project name").EvaluateAsync("e => e.removeAttribute('required')");
        await page.GetByLabel("Project name").FillAsync(" ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("name is required");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ios-app", Level = 1 })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task A_project_deleted_from_its_page_after_confirming_is_gone_from_the_list()
    {
        await using var server = await InProcessServer.StartAsync();
        using var api = new AdminApi(server);
        var (projectId, _, _) = await api.CreateProjectAsync("short-lived");
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);

        await page.GotoAsync($"/projects/{projectId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete project" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/projects$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "short-lived", Exact = true })).ToHaveCountAsync(0);
        Assert.Equal(404, (await page.GotoAsync($"/projects/{projectId}"))!.Status);
    }

    [BrowserFact]
    public async Task Editing_a_hook_in_manage_notifications_changes_every_field_the_api_shows()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        using var api = new AdminApi(server);
        var (projectId, _, _) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new Dictionary<string, object>
        {
            ["url"] = "https://example.com/before",
            ["headers"] = new Dictionary<string, string> { ["Authorization"] = "Bearer kept-secret", ["X-Old"] = "gone" },
        });
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);

        await page.GotoAsync($"/projects/{projectId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Manage Notifications" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Manage Notifications" });
        await dialog.GetByRole(AriaRole.Link, new() { Name = $"Edit hook {hookId}" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = $"Edit hook {hookId}" })).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Payload URL")).ToHaveValueAsync("https://example.com/before");
        // The stored credential is not sent back to the browser.
        await Expect(dialog.GetByLabel("Header value 1")).ToHaveValueAsync("");

        await dialog.GetByLabel("Payload URL").FillAsync(receiver.Url);
        await dialog.GetByLabel("Format").SelectOptionAsync("standard");
        await dialog.GetByLabel("Content type").SelectOptionAsync("json");
        await dialog.GetByLabel("any", new() { Exact = true }).UncheckAsync();
        await dialog.GetByLabel("fixed", new() { Exact = true }).CheckAsync();
        await dialog.GetByLabel("broken", new() { Exact = true }).CheckAsync();
        await dialog.GetByLabel("Branch filters").FillAsync("main, release/*");
        await dialog.GetByLabel("Header name 2").FillAsync("");
        await dialog.GetByLabel("Header value 2").FillAsync("");
        await dialog.GetByLabel("Header name 3").FillAsync("X-Team");
        await dialog.GetByLabel("Header value 3").FillAsync("mobile");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add header" }).ClickAsync();
        await dialog.GetByLabel("Header name 4").FillAsync("X-Env");
        await dialog.GetByLabel("Header value 4").FillAsync("ci");
        await dialog.GetByLabel("Max attempts").FillAsync("3");
        await dialog.GetByLabel("Timeout").FillAsync("5");
        await dialog.GetByLabel("Enabled").UncheckAsync();
        await dialog.GetByLabel("Allow insecure TLS").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save hook" }).ClickAsync();

        await Expect(dialog.GetByRole(AriaRole.Status).Filter(new() { HasText = "saved" })).ToHaveTextAsync($"Hook {hookId} saved.");
        await page.Keyboard.PressAsync("Escape");
        var hook = page.Locator($"#hook-{hookId}");
        await Expect(hook.Locator(".hook-url")).ToHaveTextAsync(receiver.Url);
        await Expect(hook).ToContainTextAsync("standard · json · on fixed, broken · branches main, release/*");
        await Expect(hook.Locator(".badge")).ToHaveTextAsync("disabled");

        var stored = await api.HookAsync(projectId, hookId);
        Assert.Equal(3, stored.GetProperty("max_attempts").GetInt32());
        Assert.Equal(5, stored.GetProperty("timeout_seconds").GetInt32());
        Assert.Equal("Disabled by a user.", stored.GetProperty("disabled_reason").GetString());
        Assert.True(stored.GetProperty("allow_insecure_tls").GetBoolean());
        var headers = stored.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["Authorization"] = "[REDACTED]", ["X-Team"] = "mobile", ["X-Env"] = "ci" }, headers);

        // The credential left empty was kept, not blanked: a Test press sends it (the receiver only counts, so read the log).
        await hook.GetByRole(AriaRole.Button, new() { Name = "Test" }).ClickAsync();
        await Expect(hook.Locator(".test-result .badge")).ToHaveTextAsync("200");
        await receiver.WaitForAsync(1);

        // A value the API refuses keeps the form open with the API's message.
        await page.GotoAsync($"/projects/{projectId}?edit={hookId}");
        await dialog.GetByLabel("Header name 4").FillAsync("Content-Type");
        await dialog.GetByLabel("Header value 4").FillAsync("text/plain");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save hook" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("'Content-Type' is set by BuildHooks and cannot be replaced.");
        await Chromium.ScreenshotAsync(page, "10-edit-hook");
    }

    [BrowserFact]
    public async Task Rotating_a_secret_shows_the_new_one_once_and_both_sign_during_the_overlap()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        using var api = new AdminApi(server);
        var (projectId, _, _) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url });
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);

        await page.GotoAsync($"/projects/{projectId}?edit={hookId}");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Manage Notifications" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();

        await Expect(dialog.Locator("#rotated-secret")).ToHaveTextAsync(new Regex("^whsec_[A-Za-z0-9+/=]{20,}$"));
        await Expect(dialog.Locator("#rotated")).ToContainTextAsync("(24 h) every delivery is signed with both secrets");
        await Chromium.ScreenshotAsync(page, "11-rotated-secret");

        // Shown once: the page opened again does not show it.
        await page.GotoAsync($"/projects/{projectId}");
        await Expect(page.Locator("#rotated-secret")).ToHaveCountAsync(0);

        // During the overlap each delivery carries two signatures, the new secret's first.
        await page.Locator($"#hook-{hookId}").GetByRole(AriaRole.Button, new() { Name = "Test" }).ClickAsync();
        await Expect(page.Locator($"#hook-{hookId} .test-result .badge")).ToHaveTextAsync("200");
        await page.GotoAsync($"/projects/{projectId}/hooks/{hookId}");
        var delivery = page.Locator("#delivery-log > li.delivery").First;
        await delivery.Locator("summary").First.ClickAsync();
        await delivery.Locator("li.attempt summary").ClickAsync();
        var signature = delivery.Locator("table.headers").First.Locator("tr", new() { HasText = "webhook-signature" }).Locator("td");
        await Expect(signature).ToHaveTextAsync(new Regex(@"^v1,\S+ v1,\S+$"));
    }

    [BrowserFact]
    public async Task Changes_posted_without_the_page_form_token_are_refused_even_with_the_session_cookie()
    {
        await using var server = await InProcessServer.StartAsync();
        using var api = new AdminApi(server);
        var (projectId, _, _) = await api.CreateProjectAsync("guarded");
        var hookId = await api.CreateHookAsync(projectId, new { url = "https://example.com/hook" });
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);

        // What a forged cross-site form would send: the session cookie, but no anti-forgery token.
        foreach (var (handler, form) in new[]
        {
            ("Rename", new Dictionary<string, string> { ["name"] = "hijacked" }),
            ("DeleteHook", new Dictionary<string, string> { ["hookId"] = hookId.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ("RotateSecret", new Dictionary<string, string> { ["hookId"] = hookId.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        })
        {
            var response = await page.APIRequest.PostAsync($"/projects/{projectId}?handler={handler}&hookId={hookId}", new() { Form = Form(page, form) });
            Assert.Equal(400, response.Status);
        }

        await page.GotoAsync($"/projects/{projectId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "guarded", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator($"#hook-{hookId}")).ToBeVisibleAsync();

        // The same request with the page's token goes through, so the refusals above were the token's doing.
        var token = (await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value"))!;
        var accepted = await page.APIRequest.PostAsync($"/projects/{projectId}?handler=Rename",
            new() { Form = Form(page, new() { ["name"] = "renamed", ["__RequestVerificationToken"] = token }) });
        Assert.Equal(200, accepted.Status);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "renamed", Level = 1 })).ToBeVisibleAsync();
    }

    private static IFormData Form(IPage page, Dictionary<string, string> fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
