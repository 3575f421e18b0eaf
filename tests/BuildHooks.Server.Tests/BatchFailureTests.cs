using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BuildHooks.Server.Tests.Infrastructure;
using BuildHooks.Testing;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Reports that arrive together are written in one transaction. When the database refuses one of them, the
/// whole transaction must be undone and the others recorded again, each once; on PostgreSQL the transaction is
/// begun and committed in SQL, so this also shows that a failed one is rolled back before its connection is reused.
/// </summary>
public sealed class BatchFailureTests
{
    private const string Poison = "the database refuses this one";

    [Fact]
    public async Task A_report_the_database_refuses_fails_alone_and_the_reports_batched_with_it_are_recorded_once()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        await server.CreateHookAsync(projectId, new { url = receiver.Url + "/hook", format = "standard", content_type = "json", triggers = new[] { "any" } });
        await RefuseBuildsWithMessageAsync(server.DataDirectory, Poison);

        // Several rounds, so the poison report shares a batch with others at least once and pooled connections are reused.
        var accepted = new List<JsonElement>();
        var refused = 0;
        for (var round = 0; round < 5; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => ReportAsync(server, projectId, i == 12 ? Poison : $"round {round} build {i}")));
            foreach (var response in responses)
            {
                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        accepted.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
                    }
                    else
                    {
                        Assert.True((int)response.StatusCode >= 500, $"the refused report answered {(int)response.StatusCode}");
                        refused++;
                    }
                }
            }
        }

        Assert.Equal(5, refused);
        Assert.Equal(5 * 23, accepted.Count);
        // Numbers are dense and unique: nothing of a failed transaction stayed behind, nothing was written twice.
        Assert.Equal(Enumerable.Range(1, accepted.Count), accepted.Select(b => b.GetProperty("number").GetInt32()).Order());
        Assert.Equal(accepted.Count, await TestDatabase.ScalarAsync(server.DataDirectory, "SELECT count(*) FROM builds"));
        Assert.Equal(accepted.Count, await TestDatabase.ScalarAsync(server.DataDirectory, "SELECT count(*) FROM deliveries"));
        var arrived = await receiver.WaitForAsync(accepted.Count);
        Assert.Equal(accepted.Count, arrived.Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }

    [Fact]
    public async Task A_burst_after_single_reports_is_written_without_a_failed_batch()
    {
        const int Hooks = 10;
        await using var receiver = await Receiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync();
        for (var i = 0; i < Hooks; i++)
        {
            await server.CreateHookAsync(projectId, new { url = $"{receiver.Url}/hook{i}", format = "standard", content_type = "json", triggers = new[] { "any" } });
        }

        // Single reports first: on PostgreSQL the node then writes from what it remembers, with ids taken ahead for about one more report.
        for (var i = 0; i < 3; i++)
        {
            using var single = await ReportAsync(server, projectId, $"single {i}");
            Assert.Equal(HttpStatusCode.Created, single.StatusCode);
        }

        // The burst's batches need more ids than were taken ahead, so they fetch more in the middle of the batch.
        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ReportAsync(server, projectId, $"burst {i}")));
        Assert.All(burst, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        foreach (var response in burst)
        {
            response.Dispose();
        }

        var arrived = await receiver.WaitForAsync(43 * Hooks);
        Assert.Equal(43 * Hooks, arrived.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        // Every batch was written at its first try: none failed and was recorded again report by report.
        Assert.DoesNotContain(server.Errors.Entries, entry => entry.Contains("BuildHooks.Delivery.Intake", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> ReportAsync(BuildHooksServer server, long projectId, string message) =>
        server.Admin.PostAsJsonAsync($"/api/projects/{projectId}/builds", new
        {
            commit = "e91e132612d263d95211aae6de2df9e503f22704",
            author = "Dan Sosedoff",
            message,
            branch = "master",
            status = "pass",
            started_at = DateTimeOffset.UtcNow.AddSeconds(-60),
            finished_at = DateTimeOffset.UtcNow,
        }, BuildHooksServer.Json);

    /// <summary>A trigger that makes the database itself refuse a build, as a constraint or a full disk would.</summary>
    private static async Task RefuseBuildsWithMessageAsync(string dataDirectory, string message)
    {
        await using var connection = await TestDatabase.OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = TestDatabase.IsPostgres
            ? $"""
               CREATE FUNCTION refuse_poison() RETURNS trigger AS $$
               BEGIN
                 IF NEW.message = '{message}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                 RETURN NEW;
               END $$ LANGUAGE plpgsql;
               CREATE TRIGGER refuse_poison BEFORE INSERT ON builds FOR EACH ROW EXECUTE FUNCTION refuse_poison();
               """
            : $"""
               CREATE TRIGGER refuse_poison BEFORE INSERT ON builds WHEN NEW.message = '{message}'
               BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
               """;
        await command.ExecuteNonQueryAsync();
    }
}
