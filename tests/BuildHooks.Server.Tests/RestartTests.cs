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
}
