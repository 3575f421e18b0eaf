using System.Net;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Hooks may point at this server's own bins even where the outbound rules block loopback (the default);
/// every other loopback URL, this server's API included, stays blocked.
/// </summary>
public sealed class BinDeliveryTests
{
    /// <summary>A server with the default outbound rules: no allowed networks, so loopback is blocked.</summary>
    private static Task<BuildHooksServer> StartBlockingLoopbackAsync() => BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
    {
        ["BuildHooks:Delivery:AllowedNetworks:0"] = null,
        ["BuildHooks:Delivery:AllowedNetworks:1"] = null,
    });

    [Fact]
    public async Task A_hook_pointing_at_a_bin_delivers_there_while_other_loopback_urls_stay_blocked()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await StartBlockingLoopbackAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var bin = await server.PostAsync("/api/bins", new { name = "project hooks" });

        var toBin = await server.CreateHookAsync(projectId, new { url = bin.Str("url") + "/ci?via=hook", max_attempts = 1 });
        var toReceiver = await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 });
        // This server's own API on the same origin as the bin: not a bin, so blocked like any loopback URL.
        var toOwnApi = await server.CreateHookAsync(projectId, new { url = server.BaseUrl + "/api/projects", max_attempts = 1 });
        var sneaky = await server.CreateHookAsync(projectId, new { url = bin.Str("url") + "/%2e%2e/%2e%2e/api/projects", max_attempts = 1 });

        Assert.False(toBin.TryGetProperty("warning", out var warning) && warning.ValueKind != JsonValueKind.Null, $"A bin URL got a warning: {toBin}");
        Assert.Contains("loopback", toReceiver.Str("warning"), StringComparison.Ordinal);
        Assert.Contains("loopback", toOwnApi.Str("warning"), StringComparison.Ordinal);
        Assert.Contains("loopback", sneaky.Str("warning"), StringComparison.Ordinal);

        await server.ReportBuildAsync(projectId);

        var delivered = (await server.WaitForHookAsync(toBin.Id(), "succeeded", 1)).Single();
        Assert.Equal(200, delivered.GetProperty("last_status_code").GetInt32());
        var capture = (await server.GetAsync($"/api/bins/{bin.Str("id")}/requests")).EnumerateArray().Single();
        Assert.Equal("POST", capture.Str("method"));
        Assert.Equal("/ci", capture.Str("path"));
        Assert.Equal("?via=hook", capture.Str("query"));
        Assert.Equal(delivered.Str("webhook_id"), capture.GetProperty("headers").GetProperty("webhook-id").GetString());
        Assert.StartsWith("payload=", capture.Str("body"), StringComparison.Ordinal);

        foreach (var blocked in new[] { toReceiver, toOwnApi, sneaky })
        {
            var failed = (await server.WaitForHookAsync(blocked.Id(), "failed", 1)).Single();
            Assert.Contains("loopback", failed.Str("last_error"), StringComparison.Ordinal);
        }

        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task After_a_delivery_to_a_bin_the_same_origin_is_still_refused_for_other_paths()
    {
        await using var server = await StartBlockingLoopbackAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var bin = await server.PostAsync("/api/bins", new { });
        // Branch filters make the two hooks fire one after the other, so the bin's connection, if it were
        // kept in the pool, would be idle and ready for the next request to the same origin.
        var toBin = await server.CreateHookAsync(projectId, new { url = bin.Str("url"), max_attempts = 1, branches = new[] { "to-bin" } });
        var toHealth = await server.CreateHookAsync(projectId, new { url = server.BaseUrl + "/healthz", max_attempts = 1, branches = new[] { "to-health" } });

        for (var round = 1; round <= 3; round++)
        {
            await server.ReportBuildAsync(projectId, branch: "to-bin");
            await server.WaitForHookAsync(toBin.Id(), "succeeded", round);
            await server.ReportBuildAsync(projectId, branch: "to-health");
            var failed = await server.WaitForHookAsync(toHealth.Id(), "failed", round);
            Assert.All(failed, d => Assert.Contains("loopback", d.Str("last_error"), StringComparison.Ordinal));
        }

        Assert.Equal(3, (await server.GetAsync($"/api/bins/{bin.Str("id")}")).GetProperty("request_count").GetInt32());
    }

    [Fact]
    public async Task Test_on_a_hook_pointing_at_a_bin_shows_the_bins_answer_and_lands_in_the_bin()
    {
        await using var server = await StartBlockingLoopbackAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var bin = await server.PostAsync("/api/bins", new { response_status = 503 });
        var hook = await server.CreateHookAsync(projectId, new { url = bin.Str("url"), content_type = "json", format = "standard" });

        using var response = await server.Admin.PostAsync(new Uri($"/api/projects/{projectId}/hooks/{hook.Id()}/test", UriKind.Relative), null);
        var result = await BuildHooksServer.ReadAsync(response, HttpStatusCode.OK);

        Assert.Equal(503, result.GetProperty("status_code").GetInt32());
        var capture = (await server.GetAsync($"/api/bins/{bin.Str("id")}/requests")).EnumerateArray().Single();
        Assert.Equal("true", capture.GetProperty("headers").GetProperty("X-BuildHooks-Test").GetString());
        Assert.StartsWith("application/json", capture.Str("content_type"), StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(capture.Str("body"));
        Assert.Equal(JsonValueKind.Object, payload.RootElement.ValueKind);
    }
}
