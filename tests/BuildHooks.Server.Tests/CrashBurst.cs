using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;
using System.Data.Common;

namespace BuildHooks.Server.Tests;

/// <summary>
/// A project with <paramref name="hooks"/> hooks on one counting receiver (fan-out makes a backlog: one report, many deliveries), fed builds by concurrent reporters,
/// and the checks a crash test ends with: read from the API and from the SQLite file the server left.
/// </summary>
public sealed class CrashBurst(CountingReceiver receiver, string dataDirectory, int hooks)
{
    public const int Reporters = 16;

    public long ProjectId { get; private set; }
    public string ReportToken { get; private set; } = "";
    public List<long> HookIds { get; } = [];

    /// <summary>Builds the API acknowledged with 201: each must end up with one delivery per hook.</summary>
    public ConcurrentBag<long> AcknowledgedBuilds { get; } = [];

    public string DatabasePath => Path.Combine(dataDirectory, "buildhooks.db");

    public async Task CreateAsync(ServerProcess server)
    {
        using var project = await server.Admin.PostAsJsonAsync("/api/projects", new
        {
            name = "crash",
            repository = new { name = "crash", selected_branch = "master", html_url = "https://github.com/acme/crash", clone_url = "https://github.com/acme/crash.git" },
        }, BuildHooksServer.Json);
        var created = await BuildHooksServer.ReadAsync(project, HttpStatusCode.Created);
        ProjectId = created.Id();
        ReportToken = created.Str("report_token");
        for (var i = 0; i < hooks; i++)
        {
            using var hook = await server.Admin.PostAsJsonAsync($"/api/projects/{ProjectId}/hooks", new { url = $"{receiver.Url}/h{i}", timeout_seconds = 60 }, BuildHooksServer.Json);
            HookIds.Add((await BuildHooksServer.ReadAsync(hook, HttpStatusCode.Created)).Id());
        }
    }

    /// <summary>
    /// Reports <paramref name="builds"/> builds with the receiver held, so all their deliveries are queued at once,
    /// then lets them go. The hooks' timeout outlasts the hold, so no held request turns into a retry.
    /// </summary>
    public async Task QueueBurstAsync(ServerProcess server, int builds)
    {
        receiver.Hold();
        try
        {
            var acknowledged = AcknowledgedBuilds.Count;
            await ReportAsync(server, builds, CancellationToken.None);
            Assert.True(AcknowledgedBuilds.Count - acknowledged == builds, $"Only {AcknowledgedBuilds.Count - acknowledged} of {builds} builds were accepted:\n{server.RecentOutput}");
        }
        finally
        {
            receiver.Release();
        }
    }

    /// <summary>Reports <paramref name="builds"/> builds from <see cref="Reporters"/> clients; stops quietly when the server goes away.</summary>
    public Task ReportAsync(ServerProcess server, int builds, CancellationToken stop)
    {
        var next = 0;
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReportToken);
        var reporters = Enumerable.Range(0, Reporters).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) <= builds)
            {
                var finished = DateTimeOffset.UtcNow;
                try
                {
                    using var response = await http.PostAsJsonAsync($"/api/projects/{ProjectId}/builds", new
                    {
                        commit = "e91e132612d263d95211aae6de2df9e503f22704", author = "Dan Sosedoff", message = "burst",
                        branch = "master", status = "pass", started_at = finished.AddSeconds(-90), finished_at = finished,
                    }, BuildHooksServer.Json, stop);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var build = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop)).RootElement;
                        AcknowledgedBuilds.Add(build.Id());
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    // The server was killed under this report: it was never acknowledged, so nothing is owed.
                    return;
                }
            }
        }));
        return Task.WhenAll(reporters).ContinueWith(_ => http.Dispose(), TaskScheduler.Default);
    }

    /// <summary>Counts deliveries by status straight from the file (WAL lets a reader in beside the server).</summary>
    public async Task<Dictionary<string, long>> StatusCountsAsync()
    {
        await using var connection = await TestDatabase.OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, count(*) FROM deliveries GROUP BY status";
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Waits until no delivery is left unfinished.</summary>
    public async Task WaitAllSucceededAsync(ServerProcess server, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var counts = await StatusCountsAsync();
            if (counts.Keys.All(s => s == "succeeded"))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"Deliveries still unfinished after {timeout.TotalSeconds} s: {JsonSerializer.Serialize(counts)}\n{server.RecentOutput}");
            Assert.False(server.HasExited, $"The server died:\n{server.RecentOutput}");
            await Task.Delay(200);
        }
    }

    /// <summary>Every delivery of every hook, read through the API the way a user would (newest first, 500 a page).</summary>
    public async Task<List<JsonElement>> AllDeliveriesAsync(ServerProcess server)
    {
        var all = new List<JsonElement>();
        foreach (var hookId in HookIds)
        {
            long? before = null;
            while (true)
            {
                var query = $"/api/hooks/{hookId}/deliveries?limit=500" + (before is { } b ? $"&before={b}" : "");
                using var response = await server.Admin.GetAsync(new Uri(query, UriKind.Relative));
                var page = (await BuildHooksServer.ReadAsync(response, HttpStatusCode.OK)).EnumerateArray().ToList();
                if (page.Count == 0)
                {
                    break;
                }

                all.AddRange(page);
                before = page[^1].Id();
            }
        }

        return all;
    }

    /// <summary>
    /// The log is consistent: every delivery succeeded with at least one attempt, its attempts are numbered
    /// 1..attempt_count and the last one succeeded, no lease is left after a clean stop, and every
    /// acknowledged build has one delivery per hook.
    /// </summary>
    public async Task AssertLogConsistentAsync()
    {
        await using var connection = await TestDatabase.OpenAsync(dataDirectory);
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM deliveries WHERE status <> 'succeeded' OR attempt_count < 1 OR lease_owner IS NOT NULL"));
        Assert.Equal(0L, await ScalarAsync(connection, """
            SELECT count(*) FROM deliveries d
            WHERE (SELECT count(*) FROM attempts a WHERE a.delivery_id = d.id) <> d.attempt_count
               OR (SELECT max(a.number) FROM attempts a WHERE a.delivery_id = d.id) <> d.attempt_count
               OR NOT (SELECT a.succeeded FROM attempts a WHERE a.delivery_id = d.id ORDER BY a.number DESC LIMIT 1)
            """));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id)"));
        var perBuild = new Dictionary<long, long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT build_id, count(*) FROM deliveries GROUP BY build_id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                perBuild[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        Assert.All(perBuild, b => Assert.Equal(hooks, b.Value));
        Assert.All(AcknowledgedBuilds, id => Assert.True(perBuild.ContainsKey(id), $"Acknowledged build {id} has no deliveries"));
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
