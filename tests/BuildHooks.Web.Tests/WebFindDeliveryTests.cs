using System.Text.RegularExpressions;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests;

/// <summary>"Find" in the header: the webhook-id a receiver logged opens the delivery that carried it.</summary>
public sealed class WebFindDeliveryTests
{
    [BrowserFact]
    public async Task A_webhook_id_from_the_receivers_log_opens_its_delivery_even_past_the_newest_shown()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url });
        // The hook page shows the newest 50; the first of 55 is below them.
        const int builds = 55;
        for (var i = 0; i < builds; i++)
        {
            await server.ReportBuildAsync(projectId, token);
        }

        var requests = await receiver.WaitForAsync(builds);
        var log = await api.SendAsync(HttpMethod.Get, $"/api/hooks/{hookId}/deliveries?limit=500");
        var oldest = log.EnumerateArray().MinBy(d => d.GetProperty("id").GetInt64());
        var deliveryId = oldest.GetProperty("id").GetInt64();
        var webhookId = oldest.GetProperty("webhook_id").GetString()!;
        Assert.Contains(requests, r => r.Headers["webhook-id"] == webhookId);

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);
        await page.GotoAsync("/projects");
        await page.GetByRole(AriaRole.Search).GetByLabel("Find a delivery by its webhook-id").FillAsync(webhookId);
        await page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/projects/{projectId}/hooks/{hookId}\\?delivery={deliveryId}#delivery-{deliveryId}$"));
        var opened = page.Locator($"#delivery-{deliveryId}");
        await Expect(opened.Locator("details").First).ToHaveJSPropertyAsync("open", true);
        await Expect(opened).ToContainTextAsync(webhookId);
        await Expect(page.Locator("#delivery-log > li.delivery")).ToHaveCountAsync(51);

        // Its number finds it too, as in the API.
        await page.GotoAsync($"/deliveries/find?webhook_id={deliveryId}");
        await Expect(page).ToHaveURLAsync(new Regex($"/projects/{projectId}/hooks/{hookId}\\?delivery={deliveryId}#delivery-{deliveryId}$"));

        // A delivery the hook does not have is said so, above the log as it is.
        await page.GotoAsync($"/projects/{projectId}/hooks/{hookId}?delivery=987654321");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Delivery 987654321 is not in this hook's log");
        await Expect(page.Locator("#delivery-log > li.delivery")).ToHaveCountAsync(50);

        // An id no delivery has is a 404 page that says what a webhook-id looks like, with the form to try again.
        var missing = await page.GotoAsync("/deliveries/find?webhook_id=msg_00000000000000000000000000000000");
        Assert.Equal(404, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No delivery has the webhook-id or number");
        await Expect(page.GetByLabel("webhook-id", new() { Exact = true })).ToHaveValueAsync("msg_00000000000000000000000000000000");
    }
}
