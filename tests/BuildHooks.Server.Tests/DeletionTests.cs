using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace BuildHooks.Server.Tests;

/// <summary>
/// What a delete takes with it, read in the database itself: on PostgreSQL no foreign key does this any more
/// (migration LooseDeliveryKeys), so these are what shows the triggers that replaced the cascades at work.
/// </summary>
public sealed class DeletionTests
{
    private const string DeliveriesWithoutHook =
        "SELECT count(*) FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM hooks h WHERE h.id = d.hook_id)";

    private const string AttemptsWithoutDelivery =
        "SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id)";

    [Fact]
    public async Task Deleting_a_hook_or_its_project_takes_their_deliveries_and_attempts_with_them()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var first = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        var second = (await server.CreateHookAsync(projectId, new { url = receiver.Url + "/second" })).Id();
        for (var i = 0; i < 3; i++)
        {
            await server.ReportBuildAsync(projectId);
        }

        var ofFirst = (await server.WaitForHookAsync(first, "succeeded", 3)).Select(d => d.Id()).ToList();
        var ofSecond = (await server.WaitForHookAsync(second, "succeeded", 3)).Select(d => d.Id()).ToList();
        Assert.Equal(3, await DeliveriesOfAsync(server, first));
        Assert.Equal(3, await AttemptsOfAsync(server, ofFirst));
        Assert.Equal(3, await AttemptsOfAsync(server, ofSecond));

        using (var deleted = await server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}/hooks/{first}", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(0, await DeliveriesOfAsync(server, first));
        Assert.Equal(0, await AttemptsOfAsync(server, ofFirst));
        Assert.Equal(3, await DeliveriesOfAsync(server, second));
        Assert.Equal(3, await AttemptsOfAsync(server, ofSecond));

        using (var deleted = await server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(0, await DeliveriesOfAsync(server, second));
        Assert.Equal(0, await AttemptsOfAsync(server, ofSecond));
        Assert.Equal(0, await TestDatabase.ScalarAsync(server.DataDirectory, "SELECT count(*) FROM attempts"));
    }

    /// <summary>
    /// Hooks deleted one by one while reports pour in and their deliveries are being sent: whatever raced with a
    /// delete, no delivery is left without its hook, and no attempt without its delivery.
    /// </summary>
    [Fact]
    public async Task Hooks_deleted_while_builds_are_reported_and_sent_leave_nothing_behind()
    {
        await using var receiver = await Receiver.StartAsync();
        // A short wait at the receiver keeps attempts in flight while their hooks are deleted.
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(Random.Shared.Next(0, 20));
            return Results.Ok();
        };
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hooks = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            hooks.Add((await server.CreateHookAsync(projectId, new { url = $"{receiver.Url}/{i}" })).Id());
        }

        using var stop = new CancellationTokenSource();
        var reported = 0;
        var reporters = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await server.ReportBuildAsync(projectId);
                Interlocked.Increment(ref reported);
            }
        }).ToList();

        // Six of the eight go, one every 150 ms, while the reporters keep going.
        foreach (var hook in hooks.Take(6))
        {
            await Task.Delay(150);
            using var deleted = await server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}/hooks/{hook}", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await stop.CancelAsync();
        await Task.WhenAll(reporters);
        Assert.True(reported > 50, $"only {reported} builds were reported while the hooks were deleted");

        // Every build reaches the two hooks left; then nothing is in flight.
        var kept = string.Join(',', hooks.Skip(6));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long succeeded;
        while ((succeeded = await TestDatabase.ScalarAsync(server.DataDirectory,
                   $"SELECT count(*) FROM deliveries WHERE hook_id IN ({kept}) AND status = 'succeeded'")) < 2 * reported)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{succeeded} of {2 * reported} deliveries to the hooks left succeeded within 60 s");
            await Task.Delay(100);
        }

        await Task.Delay(500);
        Assert.Equal((0L, 0L), (await TestDatabase.ScalarAsync(server.DataDirectory, DeliveriesWithoutHook),
            await TestDatabase.ScalarAsync(server.DataDirectory, AttemptsWithoutDelivery)));
        foreach (var hook in hooks.Take(6))
        {
            Assert.Equal(0, await DeliveriesOfAsync(server, hook));
        }
    }

    /// <summary>
    /// A hook's delete and a transaction that holds one of its deliveries and then wants the hook: a deadlock, which
    /// PostgreSQL ends by rolling back the delete (it waited first, so it is the first to look for the cycle). An
    /// attempt result that counts a failure against its hook does just this. The delete is tried again, and the user
    /// gets a 204, not a 500.
    /// </summary>
    [PostgresOnlyFact("SQLite has one writer; nothing can deadlock")]
    public async Task A_hook_delete_rolled_back_as_a_deadlock_is_retried_and_done()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        await server.ReportBuildAsync(projectId);
        var deliveryId = (await server.WaitForHookAsync(hookId, "succeeded", 1)).Single().Id();

        await using var other = await TestDatabase.OpenAsync(server.DataDirectory);
        await using var transaction = await other.BeginTransactionAsync();
        await ExecuteAsync(other, transaction, $"UPDATE deliveries SET last_error = NULL WHERE id = {deliveryId}");
        var deleting = server.Admin.DeleteAsync(new Uri($"/api/projects/{projectId}/hooks/{hookId}", UriKind.Relative));

        // Once the delete waits for the delivery this transaction holds, this one asks for the hook the delete holds.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await TestDatabase.ScalarAsync(server.DataDirectory,
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM hooks%'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the hook's delete never waited for the delivery's lock");
            await Task.Delay(20);
        }

        // PostgreSQL looks for a cycle in a waiter after deadlock_timeout (1 s) and rolls that waiter back. The delete
        // has waited longer by this much, so it is the one that looks first, even on a busy machine.
        await Task.Delay(300);
        await ExecuteAsync(other, transaction, $"UPDATE hooks SET consecutive_failures = consecutive_failures WHERE id = {hookId}");
        await transaction.CommitAsync();

        using var deleted = await deleting;
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await DeliveriesOfAsync(server, hookId));
    }

    /// <summary>
    /// A delivery whose lease another node took over, deleted while this node's attempt at it is still being written:
    /// the delete is not committed yet when the attempt's result arrives. The attempt's row must wait for the delete
    /// and then see its delivery gone, as the foreign key's row lock made it do; written beside the uncommitted delete,
    /// it would outlive its delivery (the delete's trigger has already run), an attempt nothing reads or removes.
    /// </summary>
    [PostgresOnlyFact("SQLite has one writer: a delete and an attempt's result never overlap")]
    public async Task An_attempt_finished_while_its_delivery_is_being_deleted_leaves_no_row_behind()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Gate = new TaskCompletionSource();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        var hookId = (await server.CreateHookAsync(projectId, new { url = receiver.Url })).Id();
        await server.ReportBuildAsync(projectId);
        await receiver.WaitForAsync(1);
        var deliveryId = await TestDatabase.ScalarAsync(server.DataDirectory, $"SELECT id FROM deliveries WHERE hook_id = {hookId}");

        // Another node has taken the lease over, so this node's result matches no row to update, and locks none.
        await TestDatabase.ScalarAsync(server.DataDirectory,
            $"WITH s AS (UPDATE deliveries SET lease_owner = 'another-node', lease_until_ms = {DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds()} WHERE id = {deliveryId} RETURNING 1) SELECT count(*) FROM s");
        await using var other = await TestDatabase.OpenAsync(server.DataDirectory);
        await using var transaction = await other.BeginTransactionAsync();
        await ExecuteAsync(other, transaction, $"DELETE FROM deliveries WHERE id = {deliveryId}");

        // The receiver answers; the node writes the attempt, which either waits for the delete or is written beside it.
        receiver.Gate.SetResult();
        var attemptWritten = $"""
            SELECT (SELECT count(*) FROM attempts WHERE delivery_id = {deliveryId})
                 + (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO attempts%')
            """;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await TestDatabase.ScalarAsync(server.DataDirectory, attemptWritten) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node never wrote the attempt's result");
            await Task.Delay(20);
        }

        await transaction.CommitAsync();
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (await TestDatabase.ScalarAsync(server.DataDirectory,
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the attempt's write still waits after the delete committed");
            await Task.Delay(20);
        }

        Assert.Equal(0L, await TestDatabase.ScalarAsync(server.DataDirectory, AttemptsWithoutDelivery));

        // The node's attempt writer goes on: the next build reaches the hook and is logged.
        await server.ReportBuildAsync(projectId);
        var next = (await server.WaitForHookAsync(hookId, "succeeded", 1)).Single().Id();
        Assert.Equal(1, await AttemptsOfAsync(server, [next]));
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static Task<long> DeliveriesOfAsync(BuildHooksServer server, long hookId) =>
        TestDatabase.ScalarAsync(server.DataDirectory, $"SELECT count(*) FROM deliveries WHERE hook_id = {hookId}");

    private static Task<long> AttemptsOfAsync(BuildHooksServer server, List<long> deliveryIds) =>
        TestDatabase.ScalarAsync(server.DataDirectory, $"SELECT count(*) FROM attempts WHERE delivery_id IN ({string.Join(',', deliveryIds)})");
}
