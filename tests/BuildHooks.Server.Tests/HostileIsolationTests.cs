using Microsoft.AspNetCore.Http;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Alone, so that the other tests' load does not stand in for the hanging receivers' effect.</summary>
[CollectionDefinition(nameof(HostileIsolationTests), DisableParallelization = true)]
public sealed class HostileIsolationCollection;

/// <summary>Receivers that hang must not slow down the healthy hooks of the same project.</summary>
[Collection(nameof(HostileIsolationTests))]
public sealed class HostileIsolationTests
{
    private const int Builds = 5;
    private const int HangingTimeoutSeconds = 2;

    [Fact]
    public async Task Healthy_hooks_get_every_build_while_hanging_hooks_of_the_same_project_still_wait_for_their_timeout()
    {
        await using var server = await BuildHooksServer.StartAsync();
        var healthy = new List<Receiver>();
        var hanging = new List<RawReceiver>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                healthy.Add(await Receiver.StartAsync());
                hanging.Add(RawReceiver.Hanging());
            }

            var (projectId, _) = await server.CreateProjectAsync();
            var healthyHooks = new List<long>();
            var hangingHooks = new List<long>();
            for (var i = 0; i < 4; i++)
            {
                // Interleaved, so neither kind is served first by accident of creation order.
                hangingHooks.Add((await server.CreateHookAsync(projectId, new { url = hanging[i].Url, timeout_seconds = HangingTimeoutSeconds, max_attempts = 1 })).Id());
                healthyHooks.Add((await server.CreateHookAsync(projectId, new { url = healthy[i].Url, timeout_seconds = HangingTimeoutSeconds, max_attempts = 1 })).Id());
            }

            for (var b = 0; b < Builds; b++)
            {
                await server.ReportBuildAsync(projectId);
            }

            foreach (var receiver in healthy)
            {
                await receiver.WaitForAsync(Builds);
            }

            // What a user sees now: every hanging delivery is still in its first attempt (none has reached its timeout),
            // yet every healthy receiver already has every build.
            foreach (var hookId in hangingHooks)
            {
                var deliveries = await server.OfHookAsync(hookId);
                Assert.Equal(Builds, deliveries.Count);
                Assert.All(deliveries, d =>
                {
                    Assert.Equal("pending", d.Str("status"));
                    Assert.Equal(0, d.GetProperty("attempt_count").GetInt32());
                });
            }

            Assert.All(hanging, r => Assert.Equal(Builds, r.Open));

            foreach (var hookId in healthyHooks)
            {
                var succeeded = await server.WaitForHookAsync(hookId, "succeeded", Builds);
                foreach (var delivery in succeeded)
                {
                    var log = await server.GetAsync($"/api/deliveries/{delivery.Id()}");
                    var duration = Assert.Single(log.Attempts()).DurationMs();
                    Assert.True(duration < HangingTimeoutSeconds * 1000 / 2, $"A healthy attempt took {duration} ms.");
                }
            }

            // And the hanging ones end as they should: timed out after their own timeout, each on its own.
            foreach (var hookId in hangingHooks)
            {
                var failed = await server.WaitForHookAsync(hookId, "failed", Builds);
                Assert.All(failed, d => Assert.Contains($"Timed out after {HangingTimeoutSeconds} s", d.Str("last_error"), StringComparison.Ordinal));
            }
        }
        finally
        {
            foreach (var receiver in healthy)
            {
                await receiver.DisposeAsync();
            }

            foreach (var receiver in hanging)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_healthy_hook_is_not_starved_of_connections_by_hanging_hooks_on_the_same_receiver_host()
    {
        // Nine hooks hang on one path of a receiver while a tenth, on another path of the same host and port, answers.
        // Their held requests (32 per hook) outnumber what one connection pool per host used to allow (256).
        const int hangingHooks = 9, builds = 40, timeoutSeconds = 20;
        var release = new TaskCompletionSource();
        await using var server = await BuildHooksServer.StartAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (request, _) =>
        {
            if (request.Path.StartsWith("/hang", StringComparison.Ordinal))
            {
                await release.Task;
            }

            return Results.Ok("ok");
        };
        try
        {
            var (projectId, _) = await server.CreateProjectAsync();
            var hanging = new List<long>();
            for (var i = 0; i < hangingHooks; i++)
            {
                hanging.Add((await server.CreateHookAsync(projectId, new { url = $"{receiver.Url}/hang/{i}", timeout_seconds = timeoutSeconds, max_attempts = 1 })).Id());
            }

            var healthy = (await server.CreateHookAsync(projectId, new { url = $"{receiver.Url}/ok", timeout_seconds = timeoutSeconds, max_attempts = 1 })).Id();
            await Task.WhenAll(Enumerable.Range(0, builds).Select(_ => server.ReportBuildAsync(projectId)));

            var succeeded = await server.WaitForHookAsync(healthy, "succeeded", builds, seconds: timeoutSeconds / 2);
            Assert.Equal(builds, succeeded.Count);
            // Not one hanging attempt has ended, so the healthy hook did not get through by waiting for them.
            Assert.True(receiver.Requests.Count(r => r.Path.StartsWith("/hang", StringComparison.Ordinal)) >= 256,
                "the hanging hooks should hold more requests open than one pool per host used to allow");
            foreach (var hookId in hanging)
            {
                Assert.All(await server.OfHookAsync(hookId), d => Assert.Equal(0, d.GetProperty("attempt_count").GetInt32()));
            }
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_sent_one_request_at_a_time_once_its_attempts_time_out_and_none_is_lost()
    {
        const int wave = 8;
        await using var server = await BuildHooksServer.StartAsync();
        await using var hanging = RawReceiver.Hanging();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = hanging.Url, timeout_seconds = 1, max_attempts = 1 })).Id();

        // A hook starts with its full share: the first wave is sent all at once.
        for (var b = 0; b < wave; b++)
        {
            await server.ReportBuildAsync(projectId);
        }

        await server.WaitForHookAsync(hookId, "failed", wave);
        Assert.Equal(wave, hanging.Accepted);

        // Every one of them timed out, so the hook's limit has fallen to one request at a time.
        for (var b = 0; b < wave; b++)
        {
            await server.ReportBuildAsync(projectId);
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var secondWave = hanging.Accepted - wave;
        Assert.True(secondWave is >= 1 and <= 4, $"{secondWave} of the second wave's {wave} requests were sent within 2.5 s at a 1 s timeout; one at a time allows 3");

        // Slower, not lost: each delivery of the second wave still gets its attempt.
        var failed = await server.WaitForHookAsync(hookId, "failed", 2 * wave, seconds: 30);
        Assert.All(failed, d => Assert.Contains("Timed out after 1 s", d.Str("last_error"), StringComparison.Ordinal));
        Assert.Equal(2 * wave, hanging.Accepted);
    }
}
