using BuildHooks.Core.Model;
using Npgsql;
using static BuildHooks.Storage.Postgres.Pg;

namespace BuildHooks.Storage.Queue;

/// <summary>
/// <see cref="CompletionBatch"/>'s statements on PostgreSQL, sent as one <see cref="NpgsqlBatch"/>: a whole
/// batch of attempt results costs one round trip. Statements run in order, so a hook's failure count sees
/// the resets before it exactly as on SQLite. A deadlock with another node's batch (both touching the same
/// hooks) rolls this one back, and the attempt writer retries it.
/// </summary>
internal static class PostgresCompletionBatch
{
    private const string InsertAttempt = """
        INSERT INTO attempts (delivery_id, number, "trigger", started_at_ms, url, request_headers, succeeded,
                              status_code, response_headers, response_body, duration_ms, error)
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
        WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = $1)
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

    private const string SucceedDelivery = """
        UPDATE deliveries SET status = 'succeeded', attempt_count = GREATEST(attempt_count, $1),
          lease_owner = NULL, lease_until_ms = NULL, last_status_code = $2, last_error = NULL, completed_at_ms = $3
        WHERE id = $4 AND (lease_owner = $5 OR lease_owner IS NULL)
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

    public static NpgsqlBatch Build(NpgsqlConnection connection, NpgsqlTransaction transaction, string owner, IReadOnlyList<AttemptResult> results, DateTimeOffset now)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        var nowMs = now.ToUnixTimeMilliseconds();
        var hooksReset = new HashSet<long>();
        foreach (var result in results)
        {
            var a = result.Attempt;
            batch.BatchCommands.Add(BatchCommand(InsertAttempt,
                P(a.DeliveryId), P(a.Number), P(a.Trigger.ToString().ToLowerInvariant()), P(a.StartedAtMs), P(a.Url), P(a.RequestHeaders),
                P(a.Succeeded), P(a.StatusCode), P(a.ResponseHeaders), P(a.ResponseBody), P(a.DurationMs), P(a.Error)));
            batch.BatchCommands.Add(result.NewStatus == DeliveryStatus.Succeeded
                ? BatchCommand(SucceedDelivery, P(a.Number), P(a.StatusCode), P(nowMs), P(a.DeliveryId), P(owner))
                : BatchCommand(UpdateDelivery,
                    P(result.NewStatus.ToString().ToLowerInvariant()), P(result.HookId), P(a.Number), P(result.NextAttemptAtMs),
                    P(a.StatusCode), P(a.Error), P(nowMs), P(a.DeliveryId), P(owner)));

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

        return batch;
    }
}
