using BuildHooks.Storage.Postgres;
using Npgsql;
using static BuildHooks.Storage.Postgres.Pg;

namespace BuildHooks.Storage.Queue;

/// <summary>
/// The delivery queue on PostgreSQL, shared by every node: a claim locks due rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so nodes claiming at once take disjoint batches without waiting on
/// each other, and leases them in the same statement (one round trip).
/// </summary>
internal sealed class PostgresDeliveryQueue(PostgresDatabase database, TimeProvider time) : IDeliveryQueue
{
    private const string ClaimSql = """
        WITH due AS (
          SELECT d.id, d.lease_owner AS lapsed_owner FROM deliveries d JOIN hooks h ON h.id = d.hook_id
          WHERE d.status = 'pending' AND d.next_attempt_at_ms <= $1
            AND (d.lease_until_ms IS NULL OR d.lease_until_ms < $1)
            AND h.enabled AND d.hook_id <> ALL($2)
          ORDER BY d.next_attempt_at_ms LIMIT $3
          FOR UPDATE OF d SKIP LOCKED)
        UPDATE deliveries d SET lease_owner = $4, lease_until_ms = $5
        FROM due, hooks h
        WHERE d.id = due.id AND h.id = d.hook_id
        RETURNING d.id, d.webhook_id, d.hook_id, d.kind, d.attempt_count, d.round_start, d.payload, d.content_type,
                  h.url, h.secret, h.previous_secret, h.previous_secret_expires_at_ms, h.headers, h.timeout_seconds, h.max_attempts,
                  h.allow_insecure_tls, due.lapsed_owner
        """;

    // Unleased due rows, and rows leased by a node (perhaps a dead one) whose lease runs out: whichever comes first.
    private const string NextDueSql = """
        SELECT LEAST(
          (SELECT MIN(d.next_attempt_at_ms) FROM deliveries d JOIN hooks h ON h.id = d.hook_id
           WHERE d.status = 'pending' AND d.lease_owner IS NULL AND h.enabled AND d.hook_id <> ALL($1)),
          (SELECT MIN(GREATEST(d.lease_until_ms + 1, d.next_attempt_at_ms)) FROM deliveries d JOIN hooks h ON h.id = d.hook_id
           WHERE d.lease_owner IS NOT NULL AND d.status = 'pending' AND h.enabled AND d.hook_id <> ALL($1)))
        """;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        string owner, int limit, IReadOnlyCollection<long> excludedHooks, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, ClaimSql,
            P(now), P(excludedHooks.ToArray()), P(limit), P(owner), P(now + (long)lease.TotalMilliseconds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<ClaimedDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(Read(reader));
        }

        return claimed;
    }

    public async Task<DateTimeOffset?> NextDueAsync(IReadOnlyCollection<long> excludedHooks, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ScalarAsync(connection, null, NextDueSql, cancellationToken, P(excludedHooks.ToArray())) is long ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }

    public async Task RenewLeasesAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE deliveries SET lease_until_ms = $1 WHERE lease_owner = $2", cancellationToken,
            P(time.GetUtcNow().ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds), P(owner));
    }

    /// <summary>
    /// A node hands back its own leases on a clean stop. At start-up (no owner) nothing is released: the
    /// database is shared, a lease may belong to a live node, and a dead node's leases simply run out.
    /// </summary>
    public async Task<int> ReleaseLeasesAsync(string? owner, CancellationToken cancellationToken)
    {
        if (owner is null)
        {
            // Other nodes' leases may be live: a dead node's run out after LeaseSeconds and are claimed then.
            return 0;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var released = await ExecuteAsync(connection, null, "UPDATE deliveries SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner = $1",
            cancellationToken, P(owner));
        // What this node gives back, another may send now.
        await PostgresDatabase.NotifyDueAsync(connection, cancellationToken);
        return released;
    }

    /// <summary>
    /// One round trip: a batch sent outside a transaction runs as one implicit transaction (a single Sync at its end),
    /// so it is all or nothing without a BEGIN/COMMIT exchange of its own.
    /// </summary>
    public async Task CompleteAsync(string owner, IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = PostgresCompletionBatch.Build(connection, owner, results, time.GetUtcNow());
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ClaimedDelivery Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        WebhookId = r.GetString(1),
        HookId = r.GetInt64(2),
        Kind = r.GetString(3),
        AttemptCount = r.GetInt32(4),
        RoundStart = r.GetInt32(5),
        Payload = (byte[])r.GetValue(6),
        ContentType = r.GetString(7),
        Url = r.GetString(8),
        Secret = r.GetString(9),
        PreviousSecret = r.IsDBNull(10) ? null : r.GetString(10),
        PreviousSecretExpiresAtMs = r.IsDBNull(11) ? null : r.GetInt64(11),
        Headers = r.GetString(12),
        TimeoutSeconds = r.GetInt32(13),
        MaxAttempts = r.GetInt32(14),
        AllowInsecureTls = r.GetBoolean(15),
        LeaseRanOutFor = r.IsDBNull(16) ? null : r.GetString(16),
    };
}
