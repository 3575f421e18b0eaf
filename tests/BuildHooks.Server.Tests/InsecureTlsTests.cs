using System.Net;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// allow_insecure_tls, per hook: a receiver with a self-signed certificate (a real Kestrel on loopback, which the
/// test server allows) is refused with a TLS error by default and delivered to once its hook says so.
/// </summary>
public sealed class InsecureTlsTests
{
    [Fact]
    public async Task A_self_signed_receiver_is_refused_by_default_and_delivered_to_when_the_hook_allows_insecure_tls()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var received = 0;
        await using var receiver = await SelfSignedHttpsReceiver.StartAsync(() => Interlocked.Increment(ref received), "/hook");
        var (projectId, _) = await server.CreateProjectAsync("tls");

        var strict = await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1, triggers = new[] { "fail" } });
        var lax = await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1, triggers = new[] { "pass" }, allow_insecure_tls = true });
        Assert.False(strict.GetProperty("allow_insecure_tls").GetBoolean());
        Assert.True(lax.GetProperty("allow_insecure_tls").GetBoolean());
        Assert.True((await server.GetAsync($"/api/projects/{projectId}/hooks/{lax.Id()}")).GetProperty("allow_insecure_tls").GetBoolean());

        await server.ReportBuildAsync(projectId, "fail");
        var refused = await server.WaitUntilFailedAsync(Assert.Single(await server.OfHookAsync(strict.Id())).Id());
        Assert.Contains("TLS handshake with 127.0.0.1 failed", Assert.Single(refused.Attempts()).Error(), StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref received));

        await server.ReportBuildAsync(projectId, "pass");
        var delivered = await server.WaitForHookAsync(lax.Id(), "succeeded", 1);
        Assert.Equal(1, Volatile.Read(ref received));

        // Switched off again, the same receiver is refused: no verified delivery rides on a connection opened without checks.
        var patched = await server.PatchAsync($"/api/projects/{projectId}/hooks/{lax.Id()}", new { allow_insecure_tls = false });
        Assert.False(patched.GetProperty("allow_insecure_tls").GetBoolean());
        await server.ReportBuildAsync(projectId, "pass");
        var again = await server.WaitForHookAsync(lax.Id(), "failed", 1);
        var failed = await server.WaitUntilFailedAsync(Assert.Single(again).Id());
        Assert.Contains("TLS", Assert.Single(failed.Attempts()).Error(), StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref received));
        Assert.Single(delivered);
    }

    [Fact]
    public async Task The_test_button_honours_allow_insecure_tls()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var received = 0;
        await using var receiver = await SelfSignedHttpsReceiver.StartAsync(() => Interlocked.Increment(ref received), "/hook");
        var (projectId, _) = await server.CreateProjectAsync("tls-test");
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url, allow_insecure_tls = true })).Id();

        var result = await server.PostAsync($"/api/projects/{projectId}/hooks/{hookId}/test", new { }, HttpStatusCode.OK);

        Assert.True(result.GetProperty("succeeded").GetBoolean(), result.ToString());
        Assert.Equal(1, Volatile.Read(ref received));
    }

    [Fact]
    public async Task The_api_reference_documents_allow_insecure_tls_for_writing_and_reading_hooks()
    {
        await using var server = await BuildHooksServer.StartAsync();

        using var document = await server.Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var schemas = System.Text.Json.JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement.GetProperty("components").GetProperty("schemas");

        Assert.True(schemas.GetProperty("HookWrite").GetProperty("properties").TryGetProperty("allow_insecure_tls", out _), schemas.GetProperty("HookWrite").ToString());
        Assert.True(schemas.GetProperty("HookView").GetProperty("properties").TryGetProperty("allow_insecure_tls", out _), schemas.GetProperty("HookView").ToString());
    }
}
