using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Server.Tests;

public sealed class RetentionTests
{
    [Fact]
    public async Task Finished_deliveries_older_than_the_retention_go_with_their_attempts_and_pending_ones_stay()
    {
        await using var healthy = await Receiver.StartAsync();
        await using var broken = await Receiver.StartAsync();
        broken.Respond = (_, _) => Task.FromResult(Results.StatusCode(500));
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:Retention:Age"] = "00:00:05",
            ["BuildHooks:Retention:Interval"] = "00:00:00.250",
            ["BuildHooks:Retention:BatchSize"] = "2",
            // The broken hook's first retry is far away: its deliveries stay pending through the test.
            ["BuildHooks:Delivery:RetrySchedule:0"] = "01:00:00",
        });
        var (projectId, _) = await server.CreateProjectAsync();
        var succeeding = (await server.CreateHookAsync(projectId, new { url = healthy.Url })).Id();
        var failing = (await server.CreateHookAsync(projectId, new { url = broken.Url, max_attempts = 1 })).Id();
        var retrying = (await server.CreateHookAsync(projectId, new { url = broken.Url + "/retry" })).Id();
        for (var i = 0; i < 5; i++)
        {
            await server.ReportBuildAsync(projectId);
        }

        var succeeded = await server.WaitForHookAsync(succeeding, "succeeded", 5);
        var failed = await server.WaitForHookAsync(failing, "failed", 5);
        var pending = await server.OfHookAsync(retrying, "pending");
        Assert.Equal(5, pending.Count);
        var finished = succeeded.Concat(failed).Select(d => d.Id()).ToList();
        Assert.Equal(10, await AttemptsOfAsync(server, finished));

        // After the retention (5 s) they are pruned, a couple per transaction, attempts included.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await server.OfHookAsync(succeeding)).Count + (await server.OfHookAsync(failing)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Finished deliveries were not pruned within 20 s");
            await Task.Delay(200);
        }

        Assert.Equal(0, await AttemptsOfAsync(server, finished));
        using var gone = await server.Admin.GetAsync(new Uri($"/api/deliveries/{finished[0]}", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);

        // Pending deliveries are never pruned, however old: they still owe their receiver a message.
        var stillPending = await server.OfHookAsync(retrying, "pending");
        Assert.Equal(pending.Select(d => d.Id()).Order(), stillPending.Select(d => d.Id()).Order());
        Assert.All(stillPending, d => Assert.Equal(1, d.GetProperty("attempt_count").GetInt32()));
    }

    private static async Task<long> AttemptsOfAsync(BuildHooksServer server, List<long> deliveryIds)
    {
        await using var connection = await TestDatabase.OpenAsync(server.DataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM attempts WHERE delivery_id IN ({string.Join(',', deliveryIds)})";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
