using BuildHooks.Core.Model;
using Npgsql;
using static BuildHooks.Storage.Postgres.Pg;

namespace BuildHooks.Storage.Queue;

/// <summary>
/// <see cref="CompletionBatch"/>'s statements on PostgreSQL, sent as one <see cref="NpgsqlBatch"/>: a whole
/// batch of attempt results costs one round trip. Every attempt row, and every success, goes in one statement
/// over arrays (<c>unnest</c>), because pg_stat_statements showed the per-row inserts and updates taking a third
/// of the database's time at load. The rest (retries, failures and the hooks' counts) stays one statement per
/// result, in order, so a hook's failure count sees the resets before it exactly as on SQLite. The attempt rows go
/// in last, after their deliveries' updates. A deadlock with
/// another node's batch (both touching the same hooks) rolls this one back, and the attempt writer retries it.
/// </summary>
internal static class PostgresCompletionBatch
{
    // A delivery deleted meanwhile (its hook or project removed) gets no attempt row. A delivery the updates above
    // changed (they clear its lease) is locked already: a delete waits for this batch and takes the attempt too. One
    // whose lease another node took was not changed, so the insert locks it as a foreign key would: a delete in
    // flight holds it, and the insert waits and then sees it gone. Without that lock its attempt was written beside
    // the uncommitted delete, whose trigger had already run, and outlived its delivery. Locking every delivery cost
    // PostgreSQL about half as much CPU again per delivery (a row lock is a write), so only those are locked.
    private const string InsertAttempts = """
        INSERT INTO attempts (delivery_id, number, "trigger", started_at_ms, url, request_headers, succeeded,
                              status_code, response_headers, response_body, duration_ms, error)
        SELECT a.* FROM unnest($1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bool[],
                               $8::int[], $9::text[], $10::text[], $11::int[], $12::text[])
          AS a(delivery_id, number, "trigger", started_at_ms, url, request_headers, succeeded,
               status_code, response_headers, response_body, duration_ms, error)
        WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = a.delivery_id AND lease_owner IS NULL)
           OR EXISTS (SELECT 1 FROM deliveries WHERE id = a.delivery_id AND lease_owner IS NOT NULL FOR KEY SHARE)
        """;

    // A retry of a hook that was disabled meanwhile is held, not pending, so nobody sends it.
    private const string UpdateDelivery = """
        UPDATE deliveries SET
          status = CASE WHEN $1 = 'pending' AND NOT (SELECT enabled FROM hooks WHERE id = $2) THEN 'held' ELSE $1 END,
          attempt_count = GREATEST(attempt_count, $3), next_attempt_at_ms = $4,
          lease_owner = NULL, lease_until_ms = NULL,
          last_status_code = $5, last_error = $6,
          completed_at_ms = CASE WHEN $1 IN ('succeeded', 'failed') THEN $7 ELSE NULL END
        WHERE id = $8 AND (lease_owner = $9 OR lease_owner IS NULL)
        """;

    private const string SucceedDeliveries = """
        UPDATE deliveries d SET status = 'succeeded', attempt_count = GREATEST(d.attempt_count, s.number),
          lease_owner = NULL, lease_until_ms = NULL, last_status_code = s.status_code, last_error = NULL, completed_at_ms = $3
        FROM unnest($1::bigint[], $2::int[], $4::int[]) AS s(id, number, status_code)
        WHERE d.id = s.id AND (d.lease_owner = $5 OR d.lease_owner IS NULL)
        """;

    private const string ResetFailures = "UPDATE hooks SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0";

    private static readonly string CountFailure = $"""
        UPDATE hooks SET
          consecutive_failures = consecutive_failures + 1,
          disabled_reason = CASE
            WHEN NOT enabled THEN disabled_reason
            WHEN $2::text IS NOT NULL THEN $2
            WHEN consecutive_failures + 1 >= {DeliveryQueue.DisableAfterFailures}
              THEN 'Disabled after ' || (consecutive_failures + 1) || ' consecutive failed deliveries; the last: ' || $3
            ELSE disabled_reason END,
          disabled_at = CASE WHEN enabled AND ($2 IS NOT NULL OR consecutive_failures + 1 >= {DeliveryQueue.DisableAfterFailures}) THEN $4 ELSE disabled_at END,
          enabled = CASE WHEN $2 IS NOT NULL OR consecutive_failures + 1 >= {DeliveryQueue.DisableAfterFailures} THEN false ELSE enabled END
        WHERE id = $1
        """;

    private const string HoldPending =
        "UPDATE deliveries SET status = 'held' WHERE hook_id = $1 AND status = 'pending' AND NOT (SELECT enabled FROM hooks WHERE id = $1)";

    public static NpgsqlBatch Build(NpgsqlConnection connection, string owner, IReadOnlyList<AttemptResult> results, DateTimeOffset now)
    {
        var batch = new NpgsqlBatch(connection);
        var nowMs = now.ToUnixTimeMilliseconds();

        // Successes go first, all together; that reorders nothing unless a delivery has two results in the batch.
        // In id order: a hook's delete takes its deliveries off the (hook_id, id) index in that order too, so the two
        // rarely deadlock (when they do, each side retries).
        var successes = results.Where(r => r.NewStatus == DeliveryStatus.Succeeded).OrderBy(r => r.Attempt.DeliveryId).ToList();
        var oneEach = results.Select(r => r.Attempt.DeliveryId).Distinct().Count() == results.Count;
        if (oneEach && successes.Count > 0)
        {
            batch.BatchCommands.Add(BatchCommand(SucceedDeliveries,
                P(successes.Select(r => r.Attempt.DeliveryId).ToArray()), P(successes.Select(r => r.Attempt.Number).ToArray()), P(nowMs),
                P(successes.Select(r => r.Attempt.StatusCode).ToArray()), P(owner)));
        }

        var hooksReset = new HashSet<long>();
        foreach (var result in results)
        {
            var a = result.Attempt;
            if (result.NewStatus != DeliveryStatus.Succeeded)
            {
                batch.BatchCommands.Add(BatchCommand(UpdateDelivery,
                    P(result.NewStatus.ToString().ToLowerInvariant()), P(result.HookId), P(a.Number), P(result.NextAttemptAtMs),
                    P(a.StatusCode), P(a.Error), P(nowMs), P(a.DeliveryId), P(owner)));
            }
            else if (!oneEach)
            {
                batch.BatchCommands.Add(BatchCommand(SucceedDeliveries,
                    P(new[] { a.DeliveryId }), P(new[] { a.Number }), P(nowMs), P(new[] { a.StatusCode }), P(owner)));
            }

            if (a.Succeeded)
            {
                // Once per hook per batch is enough: no failure of it has been counted since.
                if (hooksReset.Add(result.HookId))
                {
                    batch.BatchCommands.Add(BatchCommand(ResetFailures, P(result.HookId)));
                }
            }
            else if (result.IsFinalFailure || result.DisableHookReason is not null)
            {
                hooksReset.Remove(result.HookId);
                batch.BatchCommands.Add(BatchCommand(CountFailure,
                    P(result.HookId), P(result.DisableHookReason), P(a.Error ?? $"HTTP {a.StatusCode}"), P(now.ToUniversalTime())));
                batch.BatchCommands.Add(BatchCommand(HoldPending, P(result.HookId)));
            }
        }

        // Last: the updates above hold the deliveries' rows, so a delete of one waits and then takes its attempt too
        // (there is no foreign key to do it; see the migration LooseDeliveryKeys), or came first and the attempt is not written.
        batch.BatchCommands.Add(InsertAll(results));
        return batch;
    }

    private static NpgsqlBatchCommand InsertAll(IReadOnlyList<AttemptResult> results)
    {
        T[] Column<T>(Func<Attempt, T> value) => results.Select(r => value(r.Attempt)).ToArray();
        return BatchCommand(InsertAttempts,
            P(Column(a => a.DeliveryId)), P(Column(a => a.Number)), P(Column(a => a.Trigger.ToString().ToLowerInvariant())),
            P(Column(a => a.StartedAtMs)), P(Column(a => a.Url)), P(Column(a => a.RequestHeaders)), P(Column(a => a.Succeeded)),
            P(Column(a => a.StatusCode)), P(Column(a => a.ResponseHeaders)), P(Column(a => a.ResponseBody)),
            P(Column(a => a.DurationMs)), P(Column(a => a.Error)));
    }
}
