using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Server.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_on_the_same_sqlite_file_in_the_middle_of_pending_retries_loses_nothing()
    {
        const int builds = 25;
        await using var receiver = await Receiver.StartAsync();
        var healthy = false;
        receiver.Respond = (_, _) => Task.FromResult(Volatile.Read(ref healthy) ? Results.Ok() : Results.StatusCode(503));
        var settings = new Dictionary<string, string?> { ["BuildHooks:Delivery:RetrySchedule:0"] = "00:00:02" };
        long hookId;
        string dataDirectory;
        await using (var first = await BuildHooksServer.StartAsync(settings: settings))
        {
            dataDirectory = first.DataDirectory;
            var (projectId, _) = await first.CreateProjectAsync();
            hookId = (await first.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
            for (var i = 0; i < builds; i++)
            {
                await first.ReportBuildAsync(projectId);
            }

            await receiver.WaitForAsync(builds);
            // Every delivery has failed once and waits for its retry when the server goes away.
        }

        Volatile.Write(ref healthy, true);
        await using var second = await BuildHooksServer.StartAsync(dataDirectory, settings);

        var delivered = await second.WaitForHookAsync(hookId, "succeeded", builds);
        Assert.Equal(builds, delivered.Count);
        foreach (var delivery in delivered)
        {
            var log = await second.GetAsync($"/api/deliveries/{delivery.Id()}");
            Assert.Equal([503, 200], log.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
        }

        // Each delivery arrived with one webhook-id across the restart: 25 ids, each seen exactly twice.
        var byId = receiver.Requests.GroupBy(r => r.Headers["webhook-id"]).ToList();
        Assert.Equal(builds, byId.Count);
        Assert.All(byId, g => Assert.Equal(2, g.Count()));
    }

    [SqliteOnlyFact("on SQLite the restarted node takes every lease back at start; on PostgreSQL they run out after LeaseSeconds")]
    public async Task A_delivery_cut_off_by_a_kill_is_sent_again_after_the_restart_and_the_log_says_why()
    {
        await using var receiver = await Receiver.StartAsync();
        // Holds the first attempt, so that it is in flight when the process dies.
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-orphans-").FullName;
        long projectId;
        await using (var first = await ServerProcess.StartAsync(dataDirectory))
        {
            projectId = await Cluster.CreateProjectAsync(first, receiver.Url);
            await Cluster.ReportAsync(first, projectId);
            await receiver.WaitForAsync(1);
            await first.KillAsync();
        }

        receiver.Gate.SetResult();
        await using var second = await ServerProcess.StartAsync(dataDirectory);

        var arrivals = await receiver.WaitForAsync(2);
        Assert.Equal(arrivals[0].Headers["webhook-id"], arrivals[1].Headers["webhook-id"]);
        // The delivery log shows one attempt (the cut-off one was never written); the server's log says what happened.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!second.RecentOutput.Contains("Deliveries cut off when the server last stopped without finishing (a crash or kill -9): 1.", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the restarted server did not say it resent the cut-off delivery:\n{second.RecentOutput}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_stop_that_cuts_off_an_attempt_its_receiver_holds_says_so_in_the_log()
    {
        await using var receiver = await Receiver.StartAsync();
        // Never answers within the stop's 10 s grace: the attempt is cut off while the receiver has the request.
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-cutoff-").FullName;
        await using var server = await ServerProcess.StartAsync(dataDirectory);
        var projectId = (await Cluster.PostAsync(server, "/api/projects", new { name = "cut-off", repository = new { name = "cut-off", selected_branch = "master" } }))
            .GetProperty("id").GetInt64();
        await Cluster.PostAsync(server, $"/api/projects/{projectId}/hooks", new { url = receiver.Url, timeout_seconds = 60 });
        await Cluster.ReportAsync(server, projectId);
        await receiver.WaitForAsync(1);

        await server.TerminateAsync(TimeSpan.FromSeconds(30));
        receiver.Gate.SetResult();

        // The delivery is sent again after a restart, a duplicate for this receiver that no log explained.
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("Attempts cut off at shutdown, their receivers still not answering after the 10 s grace: 1.", server.RecentOutput, StringComparison.Ordinal);
    }
}
