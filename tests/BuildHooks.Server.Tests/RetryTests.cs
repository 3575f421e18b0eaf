using System.Net;
using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Server.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task Receiver_that_fails_twice_then_accepts_gets_three_attempts_under_one_webhook_id()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, n) => Task.FromResult(n < 2 ? Results.StatusCode(500) : Results.Ok("thanks"));
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url, format = "standard", content_type = "json" })).Id();

        await server.ReportBuildAsync(projectId);

        var delivery = (await server.WaitForHookAsync(hookId, "succeeded", 1))[0];
        var log = await server.GetAsync($"/api/deliveries/{delivery.Id()}");
        var attempts = log.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("number").GetInt32()));
        Assert.Equal("thanks", attempts[2].GetProperty("response_body").GetString()!.Trim('"'));
        Assert.Equal(3, log.GetProperty("attempt_count").GetInt32());

        var requests = receiver.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Headers["webhook-id"]).Distinct());
        Assert.Equal(log.Str("webhook_id"), requests[0].Headers["webhook-id"]);
        Assert.Equal(["1", "2", "3"], requests.Select(r => r.Headers["X-BuildHooks-Attempt"]));
        // Every retry sends the same frozen bytes.
        Assert.Single(requests.Select(r => r.BodyText).Distinct());
    }

    [Fact]
    public async Task One_time_hook_is_tried_once_and_marked_failed()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode(503));
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 })).Id();

        await server.ReportBuildAsync(projectId);

        var failed = (await server.WaitForHookAsync(hookId, "failed", 1))[0];
        Assert.Equal(503, failed.GetProperty("last_status_code").GetInt32());
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Redirect_is_not_followed_and_is_logged_with_its_location()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.Redirect("http://127.0.0.1:1/elsewhere"));
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 })).Id();

        await server.ReportBuildAsync(projectId);

        var failed = (await server.WaitForHookAsync(hookId, "failed", 1))[0];
        Assert.Equal(302, failed.GetProperty("last_status_code").GetInt32());
        Assert.Contains("http://127.0.0.1:1/elsewhere", failed.Str("last_error"), StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Gone_disables_the_hook_with_a_reason()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode((int)HttpStatusCode.Gone));
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();

        await server.ReportBuildAsync(projectId);

        await server.WaitForHookAsync(hookId, "failed", 1);
        var hook = await server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}");
        Assert.False(hook.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", hook.Str("disabled_reason"), StringComparison.Ordinal);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, hook.GetProperty("disabled_at").ValueKind);
    }

    [Fact]
    public async Task Hook_is_disabled_after_twenty_consecutive_failed_deliveries_and_reenabling_resets_the_count()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.StatusCode(500));
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 })).Id();

        for (var i = 0; i < 20; i++)
        {
            await server.ReportBuildAsync(projectId);
        }

        await server.WaitForHookAsync(hookId, "failed", 20);
        var hook = await server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}");
        Assert.False(hook.GetProperty("enabled").GetBoolean());
        Assert.Contains("20 consecutive failed deliveries", hook.Str("disabled_reason"), StringComparison.Ordinal);

        var enabled = await server.PatchAsync($"/api/projects/{projectId}/hooks/{hookId}", new { enabled = true });
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, enabled.GetProperty("consecutive_failures").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabled_reason").ValueKind);
    }

    [Fact]
    public async Task Receiver_on_loopback_is_refused_by_default_with_a_clear_error()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:Delivery:AllowedNetworks:0"] = null,
            ["BuildHooks:Delivery:AllowedNetworks:1"] = null,
        });
        var (projectId, _) = await server.CreateProjectAsync();
        var hook = await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 });
        Assert.Contains("loopback", hook.Str("warning"), StringComparison.Ordinal);

        await server.ReportBuildAsync(projectId);

        var failed = (await server.WaitForHookAsync(hook.Id(), "failed", 1))[0];
        Assert.Contains("loopback", failed.Str("last_error"), StringComparison.Ordinal);
        Assert.Contains("AllowedNetworks", failed.Str("last_error"), StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }
}
