using System.Net.Http.Json;
using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Server.Tests;

public sealed class HookControlTests
{
    [Fact]
    public async Task Disabled_hook_receives_nothing_while_an_enabled_one_does()
    {
        await using var enabledReceiver = await Receiver.StartAsync();
        await using var disabledReceiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var disabledId = (await server.CreateHookAsync(projectId, new { url = disabledReceiver.Url, enabled = false })).Id();
        var enabledId = (await server.CreateHookAsync(projectId, new { url = enabledReceiver.Url })).Id();

        await server.ReportBuildAsync(projectId);

        await server.WaitForHookAsync(enabledId, "succeeded", 1);
        Assert.Empty(disabledReceiver.Requests);
        Assert.Empty(await server.OfHookAsync(disabledId));
    }

    [Fact]
    public async Task Disabling_a_hook_holds_its_pending_retries_and_enabling_sends_them()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, n) => Task.FromResult(n == 0 ? Results.StatusCode(500) : Results.Ok());
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:Delivery:RetrySchedule:0"] = "00:00:10",
        });
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        await server.ReportBuildAsync(projectId);
        var pending = (await server.WaitForHookAsync(hookId, "pending", 1))[0];
        await server.WaitForDeliveryAsync(pending.Id(), d => d.GetProperty("attempt_count").GetInt32() == 1);

        await server.PatchAsync($"/api/projects/{projectId}/hooks/{hookId}", new { enabled = false });

        var held = (await server.OfHookAsync(hookId))[0];
        Assert.Equal("held", held.Str("status"));

        await server.PatchAsync($"/api/projects/{projectId}/hooks/{hookId}", new { enabled = true });
        // Enabling releases the held delivery at once, not after the rest of its 10 s back-off.
        await server.WaitForDeliveryAsync(pending.Id(), d => d.Str("status") == "succeeded", seconds: 8);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task Test_button_sends_a_sample_build_even_to_a_disabled_hook_and_logs_a_test_delivery()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(Results.Text("I got some JSON", statusCode: 202));
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url, enabled = false })).Id();

        var result = await server.PostAsync($"/api/projects/{projectId}/hooks/{hookId}/test", new { }, System.Net.HttpStatusCode.OK);

        Assert.True(result.GetProperty("succeeded").GetBoolean());
        Assert.Equal(202, result.GetProperty("status_code").GetInt32());
        Assert.Equal("I got some JSON", result.Str("response_body"));
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("true", request.Headers["X-BuildHooks-Test"]);
        var payload = System.Text.Json.JsonDocument.Parse(request.Form!["payload"]).RootElement;
        Assert.Equal("pass", payload.Str("status"));
        Assert.Equal("2m 38s", payload.Str("duration_string"));
        // Without a finished build, build_url is the project's page: a link a person can open, not a build that is not there.
        Assert.Equal($"{server.BaseUrl.TrimEnd('/')}/projects/{projectId}", payload.Str("build_url"));
        using var web = await WebSession.SignInAsync(server.BaseUrl);
        using var opened = await web.GetAsync(new Uri(payload.Str("build_url")));
        Assert.Equal(System.Net.HttpStatusCode.OK, opened.StatusCode);

        var delivery = await server.GetAsync($"/api/deliveries/{result.GetProperty("delivery_id").GetInt64()}");
        Assert.Equal("test", delivery.Str("kind"));
        Assert.Equal("succeeded", delivery.Str("status"));
        Assert.Equal("test", delivery.GetProperty("attempts")[0].Str("trigger"));
    }

    [Fact]
    public async Task Test_uses_the_latest_build_and_reports_a_refused_connection()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/nothing-listens-here", triggers = new[] { "fail" } })).Id();
        await server.ReportBuildAsync(projectId, status: "pass", commit: "abcdef0123456789abcdef0123456789abcdef01");

        var result = await server.PostAsync($"/api/projects/{projectId}/hooks/{hookId}/test", new { }, System.Net.HttpStatusCode.OK);

        Assert.False(result.GetProperty("succeeded").GetBoolean());
        Assert.Contains("refused", result.Str("error"), StringComparison.OrdinalIgnoreCase);
        var delivery = await server.GetAsync($"/api/deliveries/{result.GetProperty("delivery_id").GetInt64()}");
        Assert.Contains("abcdef0123456789abcdef0123456789abcdef01", delivery.Str("payload"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_whose_project_is_deleted_while_the_receiver_answers_gets_a_409_and_the_server_keeps_serving()
    {
        await using var receiver = await Receiver.StartAsync();
        var answer = new TaskCompletionSource<IResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = (_, _) => answer.Task;
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();

        var testing = server.Admin.PostAsJsonAsync($"/api/projects/{projectId}/hooks/{hookId}/test", new { });
        await receiver.WaitForAsync(1);
        using (var deleted = await server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }

        answer.SetResult(Results.Ok());
        using var response = await testing;

        // The test was sent, but its log row has no hook left to belong to: a 409 that says so, not a 500.
        await ApiProblemAssert.IsProblemAsync(response, System.Net.HttpStatusCode.Conflict, "deleted");
        await server.GetAsync("/api/projects");
    }

    [Fact]
    public async Task Redelivery_sends_the_same_webhook_id_again_as_a_manual_attempt()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        await server.ReportBuildAsync(projectId);
        var delivery = (await server.WaitForHookAsync(hookId, "succeeded", 1))[0];

        await server.PostAsync($"/api/deliveries/{delivery.Id()}/redeliver", new { }, System.Net.HttpStatusCode.Accepted);

        var log = await server.WaitForDeliveryAsync(delivery.Id(), d => d.GetProperty("attempt_count").GetInt32() == 2 && d.Str("status") == "succeeded");
        Assert.Equal("manual", log.GetProperty("attempts")[1].Str("trigger"));
        var requests = await receiver.WaitForAsync(2);
        Assert.Equal(requests[0].Headers["webhook-id"], requests[1].Headers["webhook-id"]);
        Assert.Equal("2", requests[1].Headers["X-BuildHooks-Attempt"]);
    }

    [Fact]
    public async Task A_delivery_is_found_and_redelivered_by_the_webhook_id_its_receiver_logged()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        await server.ReportBuildAsync(projectId);
        await server.ReportBuildAsync(projectId);
        var delivered = await server.WaitForHookAsync(hookId, "succeeded", 2);
        var requests = await receiver.WaitForAsync(2);

        // Each webhook-id the receiver saw names its own delivery, with the attempt that carried it.
        foreach (var request in requests)
        {
            var webhookId = request.Headers["webhook-id"];
            var found = await server.GetAsync($"/api/deliveries/{webhookId}");
            Assert.Equal(webhookId, found.Str("webhook_id"));
            Assert.Contains(delivered, d => d.Id() == found.Id());
            Assert.Equal(webhookId, found.GetProperty("attempts")[0].GetProperty("request_headers").Str("webhook-id"));
        }

        var second = requests[1].Headers["webhook-id"];
        var redelivered = await server.PostAsync($"/api/deliveries/{second}/redeliver", new { }, System.Net.HttpStatusCode.Accepted);
        Assert.Equal(second, (await receiver.WaitForAsync(3))[2].Headers["webhook-id"]);
        Assert.Equal(second, redelivered.Str("webhook_id"));

        const string unknown = "msg_00000000000000000000000000000000";
        using var missing = await server.Admin.GetAsync(new Uri($"/api/deliveries/{unknown}", UriKind.Relative));
        var problem = await ApiProblemAssert.IsProblemAsync(missing, System.Net.HttpStatusCode.NotFound, "delivery");
        Assert.Contains(unknown, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_builds_deliveries_are_listed_one_per_hook_it_matched_and_no_other_builds()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var first = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        var second = (await server.CreateHookAsync(projectId, new { url = receiver.Url + "/second" })).Id();
        var onlyFailures = (await server.CreateHookAsync(projectId, new { url = receiver.Url + "/failures", triggers = new[] { "fail" } })).Id();
        var build = (await server.ReportBuildAsync(projectId)).Id();
        await server.ReportBuildAsync(projectId);
        await server.WaitForHookAsync(first, "succeeded", 2);
        await server.WaitForHookAsync(second, "succeeded", 2);

        var listed = (await server.GetAsync($"/api/builds/{build}/deliveries")).EnumerateArray().ToList();

        // The passing build matched two hooks of three: one delivery each, newest first, none of the other build's.
        Assert.Equal(new[] { first, second }, listed.Select(d => d.GetProperty("hook_id").GetInt64()).Order());
        Assert.True(listed[0].Id() > listed[1].Id(), "The newest delivery comes first.");
        Assert.All(listed, d => Assert.Equal(build, d.GetProperty("build_id").GetInt64()));
        Assert.Empty(await server.OfHookAsync(onlyFailures));
        var page = (await server.GetAsync($"/api/builds/{build}/deliveries?limit=1&before={listed[0].Id()}")).EnumerateArray().ToList();
        Assert.Equal(listed[1].Id(), Assert.Single(page).Id());
    }

    [Fact]
    public async Task Recover_redelivers_every_failed_delivery_since_a_point_in_time()
    {
        await using var receiver = await Receiver.StartAsync();
        var healthy = false;
        receiver.Respond = (_, _) => Task.FromResult(Volatile.Read(ref healthy) ? Results.Ok() : Results.StatusCode(500));
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url, max_attempts = 1 })).Id();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 3; i++)
        {
            await server.ReportBuildAsync(projectId);
        }

        await server.WaitForHookAsync(hookId, "failed", 3);
        Volatile.Write(ref healthy, true);

        var recovered = await server.PostAsync($"/api/hooks/{hookId}/recover", new { since }, System.Net.HttpStatusCode.Accepted);

        Assert.Equal(3, recovered.GetProperty("redelivered").GetInt32());
        await server.WaitForHookAsync(hookId, "succeeded", 3);
        Assert.Empty(await server.OfHookAsync(hookId, "failed"));
    }

    [Fact]
    public async Task Deleting_a_hook_while_its_delivery_is_in_flight_does_not_stall_other_hooks()
    {
        await using var slow = await Receiver.StartAsync();
        var release = new TaskCompletionSource();
        slow.Respond = async (_, _) =>
        {
            await release.Task;
            return Results.Ok();
        };
        await using var fast = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var slowHookId = (await server.CreateHookAsync(projectId, new { url = slow.Url })).Id();
        var fastHookId = (await server.CreateHookAsync(projectId, new { url = fast.Url })).Id();
        await server.ReportBuildAsync(projectId);
        await slow.WaitForAsync(1);

        using (var deleted = await server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}/hooks/{slowHookId}", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }

        release.SetResult();
        await server.ReportBuildAsync(projectId);

        // Both builds reach the remaining hook: the orphaned attempt did not block the attempt log.
        Assert.Equal(2, (await server.WaitForHookAsync(fastHookId, "succeeded", 2)).Count);
    }
}
