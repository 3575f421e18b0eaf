using System.Security.Cryptography;
using System.Text;
using BuildHooks.Server.Auth;
using BuildHooks.Server.Tests.Infrastructure;
using BuildHooks.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace BuildHooks.Server.Tests;

public sealed class MigrationTests
{
    /// <summary>The first schema ever shipped; a database from it must keep working under every later migration.</summary>
    private const string Initial = "20261125123558_Initial";

    [PostgresOnlyFact("Npgsql reads the migration history before it exists and logs that as a failed command")]
    public async Task A_first_start_on_an_empty_PostgreSQL_database_logs_no_error_and_a_second_start_none_either()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-migration-").FullName;
        // The default log levels, as an operator has them: errors show; little else does, so the first lines are still kept.
        string first;
        await using (var server = await ServerProcess.StartAsync(dataDirectory))
        {
            first = server.RecentOutput;
            using var projects = await server.Admin.GetAsync(new Uri("/api/projects", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, projects.StatusCode);
        }

        await using var again = await ServerProcess.StartAsync(dataDirectory);

        Assert.Contains("BuildHooks is listening on", first, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("__EFMigrationsHistory", first, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", again.RecentOutput, StringComparison.Ordinal);
    }

    [SqliteOnlyFact("upgrades a SQLite file written by the first version; PostgreSQL support began with a schema of its own")]
    public async Task A_database_from_the_first_schema_is_upgraded_on_start_and_its_rows_are_served_and_sent()
    {
        await using var receiver = await Receiver.StartAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("buildhooks-migration-").FullName;
        var databasePath = Path.Combine(dataDirectory, "buildhooks.db");
        const string reportToken = "bhr_legacy-report-token";
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await CreateInitialDatabaseAsync(databasePath, receiver.Url, secret, reportToken);

        await using var server = await BuildHooksServer.StartAsync(dataDirectory);

        var project = await server.GetAsync("/api/projects/1");
        Assert.Equal("legacy", project.Str("name"));
        var hook = await server.GetAsync("/api/projects/1/hooks/1");
        Assert.Equal(receiver.Url, hook.Str("url"));
        var build = await server.GetAsync("/api/builds/1");
        Assert.Equal(41, build.GetProperty("number").GetInt32());
        Assert.Equal("fail", build.Str("status"));
        var done = await server.GetAsync("/api/deliveries/1");
        Assert.Equal("msg_legacy_done", done.Str("webhook_id"));
        Assert.Equal("succeeded", done.Str("status"));
        Assert.Equal(200, Assert.Single(done.GetProperty("attempts").EnumerateArray()).GetProperty("status_code").GetInt32());

        // The delivery left pending by the old version goes out, signed with the hook's old secret.
        var pending = (await receiver.WaitForAsync(1)).Single();
        Assert.Equal("msg_legacy_pending", pending.Headers["webhook-id"]);
        Assert.Equal(GitHubSignature(secret, pending.Body), pending.Headers["X-Hub-Signature-256"]);
        await server.WaitForDeliveryAsync(2, d => d.Str("status") == "succeeded");

        // The old report token still reports; the new build follows the old one (number 42, and a fail -> pass is "fixed").
        using var reporter = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        reporter.DefaultRequestHeaders.Authorization = new("Bearer", reportToken);
        using var response = await reporter.PostAsync(new Uri("/api/projects/1/builds", UriKind.Relative), new StringContent("""
            {"commit": "e91e132612d263d95211aae6de2df9e503f22704", "author": "Dan Sosedoff", "message": "fix", "branch": "master",
             "result": 0, "started_at": "2026-11-24T10:09:01-06:00", "finished_at": "2026-11-24T10:11:39-06:00"}
            """, Encoding.UTF8, "application/json"));
        var created = await BuildHooksServer.ReadAsync(response, System.Net.HttpStatusCode.Created);
        Assert.Equal(42, created.GetProperty("number").GetInt32());
        var fresh = (await receiver.WaitForAsync(2))[1];
        Assert.Equal(GitHubSignature(secret, fresh.Body), fresh.Headers["X-Hub-Signature-256"]);
    }

    /// <summary>Creates the schema exactly as the first migration left it, and rows written the way that version wrote them.</summary>
    private static async Task CreateInitialDatabaseAsync(string databasePath, string hookUrl, string secret, string reportToken)
    {
        var services = new ServiceCollection().AddBuildHooksStorage(databasePath).BuildServiceProvider();
        await using (services)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
            await db.GetService<IMigrator>().MigrateAsync(Initial);
        }

        var now = DateTimeOffset.UtcNow;
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO projects (id, key, name, repository_name, repository_selected_branch, repository_html_url, repository_clone_url, report_token_hash, created_at)
            VALUES (1, 'AQ_9V0GKpZ8Zkjj_', 'legacy', 'legacy', 'master', 'https://github.com/acme/legacy', 'https://github.com/acme/legacy.git', @tokenHash, '2026-11-24 16:00:00+00:00');
            INSERT INTO hooks (id, project_id, url, format, content_type, triggers, branches, enabled, max_attempts, timeout_seconds, headers, secret, created_at, consecutive_failures)
            VALUES (1, 1, @url, 'magnum', 'json', '["any"]', '[]', 1, 8, 15, '{}', @secret, '2026-11-24 16:00:00+00:00', 0);
            INSERT INTO builds (id, uuid, project_id, number, "commit", author, committer, message, branch, status, result, started_at, finished_at, created_at)
            VALUES (1, '3F2504E0-4F89-11D3-9A0C-0305E82C3301', 1, 41, 'e91e132612d263d95211aae6de2df9e503f22704', 'Dan Sosedoff', 'Dan Sosedoff', 'Break it', 'master',
                    'fail', 1, '2026-11-24 16:09:01+00:00', '2026-11-24 16:11:39+00:00', '2026-11-24 16:11:40+00:00');
            INSERT INTO deliveries (id, webhook_id, hook_id, project_id, build_id, kind, status, attempt_count, round_start, next_attempt_at_ms, payload, content_type, created_at_ms, completed_at_ms, last_status_code)
            VALUES (1, 'msg_legacy_done', 1, 1, 1, 'live', 'succeeded', 1, 0, @now, CAST('{"id":1}' AS BLOB), 'application/json', @now, @now, 200),
                   (2, 'msg_legacy_pending', 1, 1, 1, 'live', 'pending', 0, 0, @now, CAST('{"id":1,"pending":true}' AS BLOB), 'application/json', @now, NULL, NULL);
            INSERT INTO attempts (id, delivery_id, number, "trigger", started_at_ms, url, request_headers, succeeded, status_code, response_headers, response_body, duration_ms)
            VALUES (1, 1, 1, 'scheduled', @now, @url, '{"webhook-id":"msg_legacy_done"}', 1, 200, '{}', 'ok', 12);
            """;
        command.Parameters.AddWithValue("@tokenHash", TokenHash.Hex(reportToken));
        command.Parameters.AddWithValue("@url", hookUrl);
        command.Parameters.AddWithValue("@secret", secret);
        command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
    }

    private static string GitHubSignature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
