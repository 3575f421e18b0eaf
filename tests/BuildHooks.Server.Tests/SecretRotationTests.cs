using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;
using StandardWebhooks.Diagnostics;

namespace BuildHooks.Server.Tests;

/// <summary>Rotating a hook's secret: both secrets sign during the overlap, so a receiver can switch without losing a message.</summary>
public sealed class SecretRotationTests
{
    private static async Task<JsonElement> RotateAsync(BuildHooksServer server, long projectId, long hookId) =>
        await server.PostAsync($"/api/projects/{projectId}/hooks/{hookId}/rotate-secret", new { }, HttpStatusCode.OK);

    [Fact]
    public async Task During_the_overlap_every_delivery_carries_the_new_signature_first_and_the_old_one_second()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hook = await server.CreateHookAsync(projectId, new { url = receiver.Url, format = "standard", content_type = "json" });
        var oldSecret = hook.Str("secret");

        var rotated = await RotateAsync(server, projectId, hook.Id());
        var newSecret = rotated.Str("secret");
        await server.ReportBuildAsync(projectId);
        var tested = await server.PostAsync($"/api/projects/{projectId}/hooks/{hook.Id()}/test", new { }, HttpStatusCode.OK);

        Assert.NotEqual(oldSecret, newSecret);
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        var expires = rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(24).AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        Assert.True(tested.GetProperty("succeeded").GetBoolean(), tested.ToString());
        var requests = await receiver.WaitForAsync(2);
        Assert.All(requests, request =>
        {
            Assert.Equal(2, request.Entries().Length);
            request.Verify(newSecret, index: 0);
            request.Verify(oldSecret, index: 1);
            Assert.Throws<WebhookVerificationException>(() => request.Verify(oldSecret, index: 0));
            Assert.Equal(request.GitHubSignature(newSecret), request.Headers["X-Hub-Signature-256"]);
        });
    }

    [Fact]
    public async Task After_the_overlap_only_the_new_secret_signs()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:Delivery:SecretRotationOverlap"] = "00:00:01",
        });
        var (projectId, _) = await server.CreateProjectAsync();
        var hook = await server.CreateHookAsync(projectId, new { url = receiver.Url });
        var oldSecret = hook.Str("secret");

        var rotated = await RotateAsync(server, projectId, hook.Id());
        var expires = rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(2));
        await Task.Delay(expires - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        await server.ReportBuildAsync(projectId);

        var request = (await receiver.WaitForAsync(1))[0];
        Assert.Single(request.Entries());
        request.Verify(rotated.Str("secret"));
        Assert.Throws<WebhookVerificationException>(() => request.Verify(oldSecret));
        Assert.Equal(request.GitHubSignature(rotated.Str("secret")), request.Headers["X-Hub-Signature-256"]);
    }

    [Fact]
    public async Task Rotating_again_keeps_only_the_secret_just_replaced_beside_the_newest()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();

        var middle = (await RotateAsync(server, projectId, hookId)).Str("secret");
        var newest = (await RotateAsync(server, projectId, hookId)).Str("secret");
        await server.ReportBuildAsync(projectId);

        var request = (await receiver.WaitForAsync(1))[0];
        Assert.Equal(2, request.Entries().Length);
        request.Verify(newest, index: 0);
        request.Verify(middle, index: 1);
    }

    [Fact]
    public async Task The_new_secret_is_shown_only_in_the_rotation_answer()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).Id();

        var secret = (await RotateAsync(server, projectId, hookId)).Str("secret");

        var hook = await server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}");
        Assert.False(hook.TryGetProperty("secret", out _));
        Assert.All(SecretStorageTests.Strings(hook), text => Assert.DoesNotContain(secret["whsec_".Length..], text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotating_needs_the_admin_token()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, reportToken) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).Id();
        var path = new Uri($"/api/projects/{projectId}/hooks/{hookId}/rotate-secret", UriKind.Relative);

        using var anonymous = await server.Anonymous.PostAsync(path, null);
        await ApiProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reportToken);
        using var reporter = await server.Anonymous.SendAsync(request);
        await ApiProblemAssert.IsProblemAsync(reporter, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Rotating_an_unknown_hook_is_a_404_problem()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var (otherProjectId, _) = await server.CreateProjectAsync("other");
        var hookId = (await server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/" })).Id();

        using var unknown = await server.Admin.PostAsync(new Uri($"/api/projects/{projectId}/hooks/999999/rotate-secret", UriKind.Relative), null);
        await ApiProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound, "hook", "999999");
        using var elsewhere = await server.Admin.PostAsync(new Uri($"/api/projects/{otherProjectId}/hooks/{hookId}/rotate-secret", UriKind.Relative), null);
        await ApiProblemAssert.IsProblemAsync(elsewhere, HttpStatusCode.NotFound, "hook");
    }
}
