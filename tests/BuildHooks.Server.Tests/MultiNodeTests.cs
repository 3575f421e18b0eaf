using System.Net.Http.Json;
using Npgsql;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Three server processes on one PostgreSQL database: claims with FOR UPDATE SKIP LOCKED never hand a delivery
/// to two nodes, NOTIFY wakes the others at once, and a node killed with deliveries leased loses none of them.
/// </summary>
[Collection(nameof(CrashTests))]
public sealed class MultiNodeTests
{
    private const string Why = "several nodes share one database only on PostgreSQL";

    /// <summary>A node that sends nothing itself (no room in memory): every report to it must be sent by another.</summary>
    private static readonly Dictionary<string, string> ReportOnly = new() { ["BuildHooks__Delivery__MaxInFlight"] = "0" };

    private static readonly Dictionary<string, string> Normal = [];

    [PostgresOnlyFact(Why)]
    public async Task A_burst_reported_round_robin_to_three_nodes_arrives_exactly_once()
    {
        await using var receiver = await CountingReceiver.StartAsync();
        await using var cluster = await Cluster.StartAsync(Normal, Normal, Normal);
        var projectId = await Cluster.CreateProjectAsync(cluster.Nodes[0], $"{receiver.Url}/a", $"{receiver.Url}/b", $"{receiver.Url}/c");

        const int builds = 300;
        await Parallel.ForAsync(0, builds, new ParallelOptions { MaxDegreeOfParallelism = 12 },
            async (i, _) => await Cluster.ReportAsync(cluster.Nodes[i % 3], projectId));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (receiver.ById.Count < builds * 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{receiver.ById.Count} of {builds * 3} deliveries arrived within 60 s");
            await Task.Delay(100);
        }

        var deliveries = await WaitAllSucceededAsync(cluster.Nodes[1], projectId, builds * 3);
        Assert.Equal(0, receiver.Duplicates);
        Assert.All(receiver.ById, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(deliveries.Select(d => d.GetProperty("webhook_id").GetString()!).Order(StringComparer.Ordinal),
            receiver.ById.Keys.Order(StringComparer.Ordinal));
    }

    [PostgresOnlyFact(Why)]
    public async Task A_build_reported_to_a_node_that_cannot_send_is_sent_by_another_without_waiting_for_a_poll()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var cluster = await Cluster.StartAsync(ReportOnly, Normal, Normal);
        var projectId = await Cluster.CreateProjectAsync(cluster.Nodes[0], $"{receiver.Url.TrimEnd('/')}/hook");
        // Let the sending nodes fall asleep: with nothing due they would next look on their own after 30 s.
        await Task.Delay(TimeSpan.FromSeconds(2));

        await Cluster.ReportAsync(cluster.Nodes[0], projectId);

        // Well within the 30 s fallback: only the NOTIFY from the reporting node can have woken a sender this soon.
        var arrived = await receiver.WaitForAsync(1, seconds: 10);
        Assert.Single(arrived);
        await WaitAllSucceededAsync(cluster.Nodes[0], projectId, 1);
    }

    [PostgresOnlyFact(Why)]
    public async Task A_redelivery_asked_of_a_node_that_cannot_send_is_sent_by_another_without_waiting_for_a_poll()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var cluster = await Cluster.StartAsync(ReportOnly, Normal);
        var projectId = await Cluster.CreateProjectAsync(cluster.Nodes[0], $"{receiver.Url.TrimEnd('/')}/hook");
        await Cluster.ReportAsync(cluster.Nodes[0], projectId);
        var delivery = (await WaitAllSucceededAsync(cluster.Nodes[0], projectId, 1))[0];
        // Let the sending node fall asleep: once the lease of the delivery it just sent has passed, nothing is
        // due and it would next look on its own after 30 s.
        await Task.Delay(TimeSpan.FromSeconds(Cluster.LeaseSeconds + 3));

        using (var redeliver = await cluster.Nodes[0].Admin.PostAsJsonAsync($"/api/deliveries/{delivery.GetProperty("id").GetInt64()}/redeliver", new { }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, redeliver.StatusCode);
        }

        // Only the NOTIFY from the node that took the request can have woken the sender this soon.
        var arrived = await receiver.WaitForAsync(2, seconds: 10);
        Assert.Equal(arrived[0].Headers["webhook-id"], arrived[1].Headers["webhook-id"]);
    }

    [PostgresOnlyFact(Why)]
    public async Task Deliveries_leased_by_a_node_killed_with_kill_9_are_sent_by_the_others_when_the_lease_runs_out()
    {
        await using var receiver = await CountingReceiver.StartAsync();
        await using var cluster = await Cluster.StartAsync(Normal, Normal, Normal);
        var doomed = cluster.Nodes[2];
        var projectId = await Cluster.CreateProjectAsync(doomed, $"{receiver.Url}/slow");

        // The receiver holds every request: the doomed node's deliveries stay in flight, leased to it.
        receiver.Hold();
        const int builds = 20;
        for (var i = 0; i < builds; i++)
        {
            await Cluster.ReportAsync(doomed, projectId);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (receiver.ById.Count < builds)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {receiver.ById.Count} of {builds} deliveries reached the receiver");
            await Task.Delay(50);
        }

        var held = receiver.ById.Keys.ToHashSet(StringComparer.Ordinal);
        var pending = await Cluster.DeliveriesAsync(cluster.Nodes[0], projectId);
        Assert.All(pending, d => Assert.Equal("pending", d.GetProperty("status").GetString()));

        await doomed.KillAsync();
        receiver.Release();

        // The lease (3 s here) runs out and a surviving node claims the deliveries; they take a fallback look at most 30 s apart.
        var deliveries = await WaitAllSucceededAsync(cluster.Nodes[0], projectId, builds, seconds: 60);
        Assert.Equal(held, deliveries.Select(d => d.GetProperty("webhook_id").GetString()!).ToHashSet(StringComparer.Ordinal));
        // Each was received twice: once by the killed node's unanswered attempt, once from its successor. Nothing lost.
        Assert.All(held, id => Assert.Equal(2, receiver.ById[id]));
        Assert.Equal(builds * 2, receiver.Total);
        // The duplicates are explained in the log of whichever node took them over: the delivery log cannot show the
        // killed node's attempts, which were never recorded.
        var survivors = cluster.Nodes.Take(2).ToArray();
        Assert.True(survivors.Any(n => n.RecentOutput.Contains("Deliveries taken over from node", StringComparison.Ordinal)),
            $"No surviving node said it took deliveries over:\n{string.Join("\n---\n", survivors.Select(n => n.RecentOutput))}");
    }

    [PostgresOnlyFact(Why)]
    public async Task A_node_reporting_from_what_it_remembers_of_a_project_follows_what_another_node_changed()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var cluster = await Cluster.StartAsync(Normal, Normal);
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var url = receiver.Url.TrimEnd('/');
        var projectId = await Cluster.CreateProjectAsync(a, $"{url}/any");
        await Cluster.PostAsync(a, $"/api/projects/{projectId}/hooks", new { url = $"{url}/fixed", triggers = new[] { "fixed" } });
        var anyHook = (await Cluster.GetAsync(a, $"/api/projects/{projectId}/hooks")).EnumerateArray()
            .Single(h => h.GetProperty("url").GetString()!.EndsWith("/any", StringComparison.Ordinal)).GetProperty("id").GetInt64();

        // Two passes reported to A: from the second on, A writes from what it remembers of the project (one round trip).
        Assert.Equal(1, await ReportAsync(a, projectId, "pass"));
        Assert.Equal(2, await ReportAsync(a, projectId, "pass"));
        await receiver.WaitForAsync(2);

        // Meanwhile B moves the first hook and records a failed build of the same branch.
        using (var moved = await b.Admin.PatchAsJsonAsync($"/api/projects/{projectId}/hooks/{anyHook}", new { url = $"{url}/moved" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, moved.StatusCode);
        }

        Assert.Equal(3, await ReportAsync(b, projectId, "fail"));
        await receiver.WaitForAsync(3);

        // A's next pass takes the next number, goes to the moved hook, and is a fix of B's failure: A saw all three changes.
        Assert.Equal(4, await ReportAsync(a, projectId, "pass"));
        var arrived = await receiver.WaitForAsync(5);
        Assert.Equal(["/any", "/any", "/moved"], arrived.Take(3).Select(r => r.Path));
        // The last build's two deliveries go out side by side, in either order.
        Assert.Equal(["/fixed", "/moved"], arrived.Skip(3).Select(r => r.Path).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A client retrying against a load balancer: one key's reports reach both nodes at once, among reports without a key.
    /// The in-process lock cannot see the other node; the intake asks for the key under the project's row lock, so the
    /// later one finds the build instead of a unique-index failure (which would fail its whole batch and answer 500).
    /// </summary>
    [PostgresOnlyFact(Why)]
    public async Task Reports_with_one_key_sent_to_two_nodes_at_once_make_one_build_and_fail_no_other_report()
    {
        await using var receiver = await CountingReceiver.StartAsync();
        await using var cluster = await Cluster.StartAsync(Normal, Normal);
        var projectId = await Cluster.CreateProjectAsync(cluster.Nodes[0], $"{receiver.Url}/a");
        var keys = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid().ToString()).ToList();
        // Per key four copies, two to each node; between them reports without a key.
        var sends = keys.SelectMany(k => Enumerable.Range(0, 4).Select(copy => (Key: (string?)k, Node: copy % 2)))
            .Concat(Enumerable.Range(0, 40).Select(i => (Key: (string?)null, Node: i % 2)))
            .OrderBy(_ => Random.Shared.Next()).ToList();

        var answers = new System.Collections.Concurrent.ConcurrentBag<(string? Key, int Status, long Id)>();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (send, ct) =>
        {
            using var response = await SendReportAsync(cluster.Nodes[send.Node], projectId, send.Key, ct: ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            answers.Add((send.Key, (int)response.StatusCode, System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64()));
        });

        Assert.All(answers.Where(a => a.Key is null), a => Assert.Equal(201, a.Status));
        Assert.All(answers.Where(a => a.Key is not null).GroupBy(a => a.Key), copies =>
        {
            Assert.Equal([200, 200, 200, 201], copies.Select(c => c.Status).Order());
            Assert.Single(copies.Select(c => c.Id).Distinct());
        });
        var builds = keys.Count + 40;
        Assert.Equal(builds, answers.Select(a => a.Id).Distinct().Count());
        await WaitAllSucceededAsync(cluster.Nodes[1], projectId, builds);
        Assert.Equal(0, receiver.Duplicates);
        Assert.Equal(builds, receiver.ById.Count);
    }

    /// <summary>
    /// A key reused for another commit is refused on a node that did not record the first report: the key's build is
    /// found under the project's row lock there too, and compared with the report before anything is written.
    /// </summary>
    [PostgresOnlyFact(Why)]
    public async Task A_key_reused_on_another_node_for_another_commit_is_a_422_and_records_and_sends_nothing()
    {
        await using var receiver = await CountingReceiver.StartAsync();
        await using var cluster = await Cluster.StartAsync(Normal, Normal);
        var projectId = await Cluster.CreateProjectAsync(cluster.Nodes[0], $"{receiver.Url}/a");
        var key = Guid.NewGuid().ToString();
        const string other = "4f1c0a7d2b9e8c6a5d3f1e0b9a8c7d6e5f4a3b2c";

        using var first = await SendReportAsync(cluster.Nodes[0], projectId, key);
        using var reused = await SendReportAsync(cluster.Nodes[1], projectId, key, other);

        Assert.Equal(System.Net.HttpStatusCode.Created, first.StatusCode);
        await ApiProblemAssert.IsProblemAsync(reused, (System.Net.HttpStatusCode)422, $"Idempotency-Key '{key}' was first used for build #1", $"commit {other}");
        Assert.Single((await Cluster.GetAsync(cluster.Nodes[1], $"/api/projects/{projectId}/builds")).EnumerateArray());
        await WaitAllSucceededAsync(cluster.Nodes[1], projectId, 1);
        await Task.Delay(1000);
        Assert.Equal((1, 0L), (receiver.ById.Count, receiver.Duplicates));
    }

    [PostgresOnlyFact(Why)]
    public async Task Three_nodes_starting_together_take_turns_migrating_and_all_serve()
    {
        await using var receiver = await CountingReceiver.StartAsync();
        var root = Directory.CreateTempSubdirectory("buildhooks-together-").FullName;
        var connectionString = await TestDatabase.CreateAsync(TestDatabase.Prefix + "together_" + Guid.NewGuid().ToString("N")[..12]);
        // Lines the nodes up: the migration history exists, empty, and is locked until all three wait on the database.
        // Before the migration lock they then all read "nothing applied", and two of the three applied the first
        // migration again after the third and exited ("function buildhooks_expect already exists").
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await ExecuteAsync(holder, """
            CREATE TABLE "__EFMigrationsHistory" (migration_id character varying(150) NOT NULL, product_version character varying(32) NOT NULL,
                CONSTRAINT pk___ef_migrations_history PRIMARY KEY (migration_id))
            """);
        var hold = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, "LOCK TABLE \"__EFMigrationsHistory\" IN ACCESS EXCLUSIVE MODE");

        var starting = Enumerable.Range(0, 3).Select(i => ServerProcess.StartAsync(Path.Combine(root, $"node{i}"), new Dictionary<string, string>
        {
            ["BuildHooks__Database__Provider"] = "postgres",
            ["ConnectionStrings__BuildHooks"] = connectionString,
            ["BuildHooks__DataProtectionKeysPath"] = Path.Combine(root, "shared-keys"),
        })).ToList();
        // From another connection: inside the holder's transaction pg_stat_activity would answer the same snapshot every time.
        await using var watcher = new NpgsqlConnection(connectionString);
        await watcher.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await WaitingOnLocksAsync(watcher) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "three nodes were not waiting on the database within 60 s");
            await Task.Delay(100);
        }

        await hold.CommitAsync();
        var nodes = new List<ServerProcess>();
        try
        {
            foreach (var node in starting)
            {
                nodes.Add(await node);
            }

            var projectId = await Cluster.CreateProjectAsync(nodes[0], $"{receiver.Url}/a");
            foreach (var node in nodes)
            {
                await Cluster.ReportAsync(node, projectId);
            }

            await WaitAllSucceededAsync(nodes[2], projectId, 3);
        }
        finally
        {
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await node.Result.DisposeAsync();
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> WaitingOnLocksAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // The build's number, as the node that took the report answered it.
    private static async Task<int> ReportAsync(ServerProcess node, long projectId, string status) =>
        (await Cluster.ReportAsync(node, projectId, status)).GetProperty("number").GetInt32();

    /// <summary>A finished build of the master branch, with <paramref name="key"/> as its Idempotency-Key when one is given.</summary>
    private static async Task<HttpResponseMessage> SendReportAsync(
        ServerProcess node, long projectId, string? key, string commit = "e91e132612d263d95211aae6de2df9e503f22704", CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/projects/{projectId}/builds", UriKind.Relative))
        {
            Content = JsonContent.Create(new
            {
                commit,
                branch = "master",
                status = "pass",
                started_at = DateTimeOffset.UtcNow.AddSeconds(-158),
                finished_at = DateTimeOffset.UtcNow,
            }, options: BuildHooksServer.Json),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await node.Admin.SendAsync(request, ct);
    }

    private static async Task<List<System.Text.Json.JsonElement>> WaitAllSucceededAsync(ServerProcess node, long projectId, int count, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var deliveries = await Cluster.DeliveriesAsync(node, projectId);
            if (deliveries.Count == count && deliveries.All(d => d.GetProperty("status").GetString() == "succeeded"))
            {
                return deliveries;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"{deliveries.Count(d => d.GetProperty("status").GetString() == "succeeded")} of {count} deliveries succeeded within {seconds} s ({deliveries.Count} recorded)\n{node.RecentOutput}");
            await Task.Delay(200);
        }
    }
}
