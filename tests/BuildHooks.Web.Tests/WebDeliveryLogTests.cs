using System.Text.Json;
using BuildHooks.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildHooks.Web.Tests;

/// <summary>A hook's log past its newest 50 deliveries, and filtered by status.</summary>
public sealed class WebDeliveryLogTests
{
    [BrowserFact]
    public async Task The_log_pages_back_past_the_newest_50_and_shows_only_the_failed_when_asked()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        // Every fourth request is refused, and with one attempt each such delivery fails for good.
        receiver.Respond = (_, n) => Task.FromResult(n % 4 == 0 ? Results.StatusCode(500) : Results.Ok());
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 });
        const int builds = 55;
        for (var i = 0; i < builds; i++)
        {
            await server.ReportBuildAsync(projectId, token);
        }

        var log = await SettledAsync(api, hookId, builds);
        var failed = log.Where(d => d.GetProperty("status").GetString() == "failed").Select(d => d.GetProperty("id").GetInt64()).ToList();
        Assert.InRange(failed.Count, 13, 14);
        var ids = log.Select(d => d.GetProperty("id").GetInt64()).OrderDescending().ToList();

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);
        await page.GotoAsync($"/projects/{projectId}/hooks/{hookId}");
        var rows = page.Locator("#delivery-log > li.delivery");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First).ToHaveAttributeAsync("data-id", ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The next page holds the five oldest, and ends there.
        await page.GetByRole(AriaRole.Link, new() { Name = "Older deliveries" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(5);
        Assert.Equal(ids[50..].Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older deliveries" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Newest" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(50);

        // "failed" shows exactly the failed deliveries, newest first, and marks itself as the view shown.
        var filters = page.GetByRole(AriaRole.Navigation, new() { Name = "Show deliveries" });
        await filters.GetByRole(AriaRole.Link, new() { Name = "failed" }).ClickAsync();
        await Expect(filters.GetByRole(AriaRole.Link, new() { Name = "failed" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(rows).ToHaveCountAsync(failed.Count);
        Assert.Equal(failed.OrderDescending().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));
        await Expect(page.Locator("#delivery-log > li.delivery > details > summary > .badge:first-child")).ToHaveTextAsync(Enumerable.Repeat("failed", failed.Count).ToArray());

        await filters.GetByRole(AriaRole.Link, new() { Name = "held" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(page.Locator("#log-empty")).ToHaveTextAsync("No held deliveries.");
    }

    [BrowserFact]
    public async Task A_filtered_log_updates_what_it_shows_live_takes_in_only_its_status_and_keeps_its_filter_after_redeliver()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        var refusing = true;
        receiver.Respond = (_, _) => Task.FromResult(Volatile.Read(ref refusing) ? Results.StatusCode(500) : Results.Ok());
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 });
        await server.ReportBuildAsync(projectId, token);
        await server.ReportBuildAsync(projectId, token);
        var failed = (await SettledAsync(api, hookId, 2)).Select(d => d.GetProperty("id").GetInt64()).OrderDescending().ToList();

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var all = await AdminApi.SignedInPageAsync(browser, server);
        await all.GotoAsync($"/projects/{projectId}/hooks/{hookId}");
        var onlyFailed = await AdminApi.SignedInPageAsync(browser, server);
        await onlyFailed.GotoAsync($"/projects/{projectId}/hooks/{hookId}?status=failed");
        await Expect(all.Locator("#delivery-log")).ToHaveAttributeAsync("data-live", "on");
        await Expect(onlyFailed.Locator("#delivery-log")).ToHaveAttributeAsync("data-live", "on");
        var failedRows = onlyFailed.Locator("#delivery-log > li.delivery");
        await Expect(failedRows).ToHaveCountAsync(2);

        // A new build's delivery succeeds: the page of every delivery takes it in, the failed view does not.
        Volatile.Write(ref refusing, false);
        await server.ReportBuildAsync(projectId, token);
        await Expect(all.Locator("#delivery-log > li.delivery")).ToHaveCountAsync(3);
        // A failed one sent again changes in place on the failed view; its events came after the new delivery's.
        await api.SendAsync(HttpMethod.Post, $"/api/deliveries/{failed[1]}/redeliver");
        await Expect(onlyFailed.Locator($"#delivery-{failed[1]} summary .badge").First).ToHaveTextAsync("succeeded");
        await Expect(failedRows).ToHaveCountAsync(2);

        // A new build's delivery fails: the failed view takes it in, on top, and so does the page of every delivery.
        Volatile.Write(ref refusing, true);
        await server.ReportBuildAsync(projectId, token);
        await Expect(failedRows).ToHaveCountAsync(3);
        var newFailure = (await SettledAsync(api, hookId, 4)).Select(d => d.GetProperty("id").GetInt64()).Max();
        await Expect(failedRows.First).ToHaveAttributeAsync("data-id", newFailure.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(failedRows.First.Locator("summary .badge").First).ToHaveTextAsync("failed");
        await Expect(all.Locator("#delivery-log > li.delivery")).ToHaveCountAsync(4);

        // Redeliver pressed on the failed view comes back to it.
        var newest = onlyFailed.Locator($"#delivery-{failed[0]}");
        await newest.Locator("summary").First.ClickAsync();
        await newest.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Expect(onlyFailed).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?status=failed$"));
        await Expect(onlyFailed.GetByRole(AriaRole.Navigation, new() { Name = "Show deliveries" }).GetByRole(AriaRole.Link, new() { Name = "failed" }))
            .ToHaveAttributeAsync("aria-current", "page");
    }

    [BrowserFact]
    public async Task An_older_page_updates_the_rows_it_shows_live()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = await Receiver.StartAsync("/hooks/ci");
        var refusing = true;
        receiver.Respond = (_, _) => Task.FromResult(Volatile.Read(ref refusing) ? Results.StatusCode(500) : Results.Ok());
        using var api = new AdminApi(server);
        var (projectId, _, token) = await api.CreateProjectAsync("app");
        var hookId = await api.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 });
        // The oldest fails; 51 newer ones succeed (so many failures in a row would turn the hook off) and push it off the first page.
        await server.ReportBuildAsync(projectId, token);
        var oldest = (await SettledAsync(api, hookId, 1))[0].GetProperty("id").GetInt64();
        Volatile.Write(ref refusing, false);
        const int builds = 52;
        for (var i = 1; i < builds; i++)
        {
            await server.ReportBuildAsync(projectId, token);
        }

        await SettledAsync(api, hookId, builds);

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await AdminApi.SignedInPageAsync(browser, server);
        await page.GotoAsync($"/projects/{projectId}/hooks/{hookId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Older deliveries" }).ClickAsync();
        var row = page.Locator($"#delivery-{oldest}");
        await Expect(row.Locator("summary .badge").First).ToHaveTextAsync("failed");
        await Expect(page.Locator("#delivery-log")).ToHaveAttributeAsync("data-live", "on");

        // Sent again from elsewhere (the API, another tab), it succeeds: the older page shows that without a reload,
        // although the delivery is not among the newest 50 the stream watches of its own accord.
        await api.SendAsync(HttpMethod.Post, $"/api/deliveries/{oldest}/redeliver");
        await Expect(row.Locator("summary .badge").First).ToHaveTextAsync("succeeded");
    }

    /// <summary>The hook's deliveries once none is pending any more.</summary>
    private static async Task<List<JsonElement>> SettledAsync(AdminApi api, long hookId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var log = (await api.SendAsync(HttpMethod.Get, $"/api/hooks/{hookId}/deliveries?limit=500")).EnumerateArray().ToList();
            if (log.Count == count && log.All(d => d.GetProperty("status").GetString() is "succeeded" or "failed"))
            {
                return log;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The deliveries did not settle: {log.Count} of {count}, {log.Count(d => d.GetProperty("status").GetString() == "pending")} pending.");
            await Task.Delay(100);
        }
    }
}
