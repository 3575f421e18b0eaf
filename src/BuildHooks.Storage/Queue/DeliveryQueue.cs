using System.Text.Json;
using BuildHooks.Core.Model;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage.Queue;

/// <summary>
/// The durable delivery queue on SQLite: claims due deliveries in batches under a lease and writes
/// attempt outcomes in batches. Hand-written SQL because this is the hot path (see bench/).
/// </summary>
public sealed class DeliveryQueue(SqliteDatabase database, TimeProvider time) : IDeliveryQueue
{
    /// <summary>Consecutive failed deliveries after which a hook is disabled.</summary>
    public const int DisableAfterFailures = 20;

    private const string ClaimSql = """
        UPDATE deliveries SET lease_owner = @owner, lease_until_ms = @until
        WHERE id IN (
          SELECT d.id FROM deliveries d JOIN hooks h ON h.id = d.hook_id
          WHERE d.status = 'pending' AND d.next_attempt_at_ms <= @now
            AND (d.lease_until_ms IS NULL OR d.lease_until_ms < @now)
            AND h.enabled = 1
            AND d.hook_id NOT IN (SELECT value FROM json_each(@excluded))
          ORDER BY d.next_attempt_at_ms LIMIT @limit)
        RETURNING id
        """;

    private const string ClaimedSql = """
        SELECT d.id AS Id, d.webhook_id AS WebhookId, d.hook_id AS HookId, d.kind AS Kind,
               d.attempt_count AS AttemptCount, d.round_start AS RoundStart, d.payload AS Payload,
               d.content_type AS ContentType, h.url AS Url, h.secret AS Secret,
               h.previous_secret AS PreviousSecret, h.previous_secret_expires_at_ms AS PreviousSecretExpiresAtMs, h.headers AS Headers,
               h.timeout_seconds AS TimeoutSeconds, h.max_attempts AS MaxAttempts, h.allow_insecure_tls AS AllowInsecureTls
        FROM deliveries d JOIN hooks h ON h.id = d.hook_id
        WHERE d.id IN (SELECT value FROM json_each(@ids))
        """;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        string owner, int limit, IReadOnlyCollection<long> excludedHooks, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(ClaimSql, new
            {
                owner,
                until = now + (long)lease.TotalMilliseconds,
                now,
                excluded = JsonSerializer.Serialize(excludedHooks),
                limit,
            }, transaction, cancellationToken: cancellationToken))).AsList();
            if (ids.Count == 0)
            {
                return (IReadOnlyList<ClaimedDelivery>)[];
            }

            var rows = await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(
                ClaimedSql, new { ids = JsonSerializer.Serialize(ids) }, transaction, cancellationToken: cancellationToken));
            return rows.AsList();
        }, cancellationToken);
    }

    /// <summary>
    /// When the next delivery this node could claim becomes due, if any. Rows leased by this node
    /// are its own to finish; on SQLite no other node holds leases (they are released at start-up).
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAsync(IReadOnlyCollection<long> excludedHooks, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ms = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT d.next_attempt_at_ms
            FROM deliveries d JOIN hooks h ON h.id = d.hook_id
            WHERE d.status = 'pending' AND d.lease_owner IS NULL AND h.enabled = 1
              AND d.hook_id NOT IN (SELECT value FROM json_each(@excluded))
            ORDER BY d.next_attempt_at_ms LIMIT 1
            """, new { excluded = JsonSerializer.Serialize(excludedHooks) }, cancellationToken: cancellationToken));
        return ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
    }

    /// <summary>Keeps this node's leases alive while their deliveries wait for a slow receiver.</summary>
    public Task RenewLeasesAsync(string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET lease_until_ms = @until WHERE lease_owner = @owner",
            new { owner, until = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds },
            transaction, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>
    /// Hands back leases without an attempt: this node's on a clean stop, or every lease at start-up,
    /// since one SQLite file is served by one process and a lease left there belongs to a dead one.
    /// </summary>
    public Task<int> ReleaseLeasesAsync(string? owner, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner IS NOT NULL AND (@owner IS NULL OR lease_owner = @owner)",
            new { owner }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Writes a batch of attempts and their consequences in one transaction.</summary>
    public Task CompleteAsync(string owner, IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var batch = new CompletionBatch(connection, transaction);
            foreach (var result in results)
            {
                await batch.WriteAsync(owner, result, now, cancellationToken);
            }

            return results.Count;
        }, cancellationToken);
}
