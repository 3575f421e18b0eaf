using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;
using StandardWebhooks;

namespace BuildHooks.Server.Tests;

public sealed class DeliveryFormatTests
{
    [Fact]
    public async Task Form_receiver_parses_the_magnum_payload_field_and_verifies_both_signatures()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync("project-name");
        var hook = await server.CreateHookAsync(projectId, new { url = receiver.Url + "/magnum", format = "magnum" });
        var secret = hook.GetProperty("secret").GetString()!;

        var build = await server.ReportBuildAsync(projectId);

        var request = (await receiver.WaitForAsync(1))[0];
        Assert.Equal("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        // What a Sinatra receiver does: JSON.parse(params[:payload]).
        var payload = JsonDocument.Parse(request.Form!["payload"]).RootElement;
        Assert.Equal(build.GetProperty("id").GetInt64(), payload.GetProperty("id").GetInt64());
        Assert.Equal(projectId, payload.GetProperty("project_id").GetInt64());
        Assert.Equal("[PASS] project-name #1 (master - e91e132) by Dan Sosedoff", payload.GetProperty("title").GetString());
        Assert.Equal("finished", payload.GetProperty("state").GetString());
        Assert.Equal("pass", payload.GetProperty("status").GetString());
        Assert.Equal(0, payload.GetProperty("result").GetInt32());
        Assert.Equal(158, payload.GetProperty("duration").GetInt32());
        Assert.Equal("2m 38s", payload.GetProperty("duration_string").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("compare_url").ValueKind);
        Assert.Equal($"{server.BaseUrl}/projects/{projectId}/builds/{build.GetProperty("id").GetInt64()}", payload.GetProperty("build_url").GetString());

        // Any Standard Webhooks library verifies the signature over the exact bytes received.
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["webhook-id"] = request.Headers["webhook-id"],
            ["webhook-timestamp"] = request.Headers["webhook-timestamp"],
            ["webhook-signature"] = request.Headers["webhook-signature"],
        };
        new StandardWebhook(secret).Verify(request.BodyText, headers);

        // Receivers written for GitHub check X-Hub-Signature-256 over the body with the secret as key.
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(secret));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(request.Body)), request.Headers["X-Hub-Signature-256"]);
        Assert.StartsWith("BuildHooks/", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal("build.finished", request.Headers["X-BuildHooks-Event"]);
        Assert.Equal("1", request.Headers["X-BuildHooks-Attempt"]);
    }

    [Fact]
    public async Task Shipio_hook_gets_a_json_body_with_build_and_job()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync("shipio-example-ios");
        var project = await server.GetAsync($"/api/projects/{projectId}");
        await server.CreateHookAsync(projectId, new { url = receiver.Url, format = "shipio", content_type = "json" });

        var build = await server.ReportBuildAsync(projectId, status: "fail");

        var request = (await receiver.WaitForAsync(1))[0];
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        var body = JsonDocument.Parse(request.Body).RootElement;
        var b = body.GetProperty("build");
        Assert.Equal(build.GetProperty("uuid").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(1, b.GetProperty("build_number").GetInt32());
        Assert.Equal("e91e132612d263d95211aae6de2df9e503f22704", b.GetProperty("commit_sha").GetString());
        Assert.Equal("failed", b.GetProperty("state").GetString());
        Assert.False(b.GetProperty("successful").GetBoolean());
        Assert.Equal(0, b.GetProperty("artifacts").GetArrayLength());
        var job = body.GetProperty("job");
        Assert.Equal(project.GetProperty("key").GetString(), job.GetProperty("id").GetString());
        Assert.Equal("shipio-example-ios", job.GetProperty("name").GetString());
        Assert.Equal("master", job.GetProperty("repository").GetProperty("selected_branch").GetString());
        Assert.Equal("https://github.com/acme/shipio-example-ios.git", job.GetProperty("repository").GetProperty("clone_url").GetString());
    }

    [Fact]
    public async Task Custom_headers_are_sent_and_redacted_in_the_attempt_log()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hook = await server.CreateHookAsync(projectId, new
        {
            url = receiver.Url,
            format = "standard",
            content_type = "json",
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer receiver-secret", ["X-Team"] = "platform" },
        });

        await server.ReportBuildAsync(projectId);

        var request = (await receiver.WaitForAsync(1))[0];
        Assert.Equal("Bearer receiver-secret", request.Headers["Authorization"]);
        Assert.Equal("platform", request.Headers["X-Team"]);
        Assert.Equal("build.finished", JsonDocument.Parse(request.Body).RootElement.GetProperty("type").GetString());

        var deliveries = await server.GetAsync($"/api/hooks/{hook.GetProperty("id").GetInt64()}/deliveries");
        var delivery = await server.WaitForDeliveryAsync(deliveries[0].GetProperty("id").GetInt64(), d => d.GetProperty("status").GetString() == "succeeded");
        var logged = delivery.GetProperty("attempts")[0].GetProperty("request_headers");
        Assert.Equal("[REDACTED]", logged.GetProperty("Authorization").GetString());
        Assert.Equal("platform", logged.GetProperty("X-Team").GetString());
        Assert.DoesNotContain("receiver-secret", delivery.ToString(), StringComparison.Ordinal);
    }
}
