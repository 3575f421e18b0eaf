using BuildHooks.Core.Model;
using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage.Queue;

/// <summary>
/// Writes attempt outcomes inside one transaction with commands prepared once and reused for
/// every row: at thousands of attempts a second, re-parsing SQL per row is the cost that matters.
/// The three statements that run for every attempt go through <see cref="RawStatement"/>.
/// </summary>
internal sealed class CompletionBatch
{
    private readonly RawStatement _insertAttempt;
    private readonly RawStatement _updateDelivery;
    private readonly RawStatement _succeedDelivery;
    private readonly HashSet<long> _hooksReset = [];
    private readonly SqliteCommand _resetFailures;
    private readonly SqliteCommand _countFailure;
    private readonly SqliteCommand _holdPending;

    public CompletionBatch(SqliteConnection connection, SqliteTransaction transaction)
    {
        // A hook (and its deliveries) deleted while an attempt was in flight leaves nothing to log against;
        // skipping the row keeps one deletion from failing the whole batch.
        _insertAttempt = RawStatement.Prepare(connection, """
            INSERT INTO attempts (delivery_id, number, "trigger", started_at_ms, url, request_headers, succeeded,
                                  status_code, response_headers, response_body, duration_ms, error)
            SELECT $delivery, $number, $trigger, $started, $url, $request_headers, $succeeded,
                   $status_code, $response_headers, $response_body, $duration, $error
            WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = $delivery)
            """, "$delivery", "$number", "$trigger", "$started", "$url", "$request_headers", "$succeeded", "$status_code", "$response_headers", "$response_body", "$duration", "$error");
        // A retry of a hook that was disabled meanwhile is held, not pending, so nobody sends it.
        _updateDelivery = RawStatement.Prepare(connection, """
            UPDATE deliveries SET
              status = CASE WHEN $status = 'pending' AND (SELECT enabled FROM hooks WHERE id = $hook) = 0 THEN 'held' ELSE $status END,
              attempt_count = MAX(attempt_count, $number), next_attempt_at_ms = $next,
              lease_owner = NULL, lease_until_ms = NULL,
              last_status_code = $status_code, last_error = $error,
              completed_at_ms = CASE WHEN $status IN ('succeeded', 'failed') THEN $now_ms ELSE NULL END
            WHERE id = $delivery AND (lease_owner = $owner OR lease_owner IS NULL)
            """, "$status", "$hook", "$number", "$next", "$status_code", "$error", "$now_ms", "$delivery", "$owner");
        // The common case gets a statement of its own with few parameters: binding is much of the cost per row.
        _succeedDelivery = RawStatement.Prepare(connection, """
            UPDATE deliveries SET status = 'succeeded', attempt_count = MAX(attempt_count, $number),
              lease_owner = NULL, lease_until_ms = NULL, last_status_code = $status_code, last_error = NULL, completed_at_ms = $now_ms
            WHERE id = $delivery AND (lease_owner = $owner OR lease_owner IS NULL)
            """, "$number", "$status_code", "$now_ms", "$delivery", "$owner");
        _resetFailures = Sql.Prepare(connection, transaction,
            "UPDATE hooks SET consecutive_failures = 0 WHERE id = $hook AND consecutive_failures <> 0", "$hook");
        _countFailure = Sql.Prepare(connection, transaction, $"""
            UPDATE hooks SET
              consecutive_failures = consecutive_failures + 1,
              disabled_reason = CASE
                WHEN enabled = 0 THEN disabled_reason
                WHEN $reason IS NOT NULL THEN $reason
                WHEN consecutive_failures + 1 >= {DeliveryQueue.DisableAfterFailures}
                  THEN 'Disabled after ' || (consecutive_failures + 1) || ' consecutive failed deliveries; the last: ' || $last
                ELSE disabled_reason END,
              disabled_at = CASE WHEN enabled = 1 AND ($reason IS NOT NULL OR consecutive_failures + 1 >= {DeliveryQueue.DisableAfterFailures}) THEN $now ELSE disabled_at END,
              enabled = CASE WHEN $reason IS NOT NULL OR consecutive_failures + 1 >= {DeliveryQueue.DisableAfterFailures} THEN 0 ELSE enabled END
            WHERE id = $hook
            """, "$hook", "$reason", "$last", "$now");
        _holdPending = Sql.Prepare(connection, transaction,
            "UPDATE deliveries SET status = 'held' WHERE hook_id = $hook AND status = 'pending' AND (SELECT enabled FROM hooks WHERE id = $hook) = 0", "$hook");
    }

    public async Task WriteAsync(string owner, AttemptResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var a = result.Attempt;
        var status = result.NewStatus.ToString().ToLowerInvariant();
        _insertAttempt.Execute(
            a.DeliveryId, a.Number, a.Trigger.ToString().ToLowerInvariant(), a.StartedAtMs, a.Url, a.RequestHeaders, a.Succeeded,
            a.StatusCode, a.ResponseHeaders, a.ResponseBody, a.DurationMs, a.Error);
        if (result.NewStatus == DeliveryStatus.Succeeded)
        {
            _succeedDelivery.Execute(a.Number, a.StatusCode, now.ToUnixTimeMilliseconds(), a.DeliveryId, owner);
        }
        else
        {
            _updateDelivery.Execute(
                status, result.HookId, a.Number, result.NextAttemptAtMs, a.StatusCode, a.Error, now.ToUnixTimeMilliseconds(), a.DeliveryId, owner);
        }

        if (a.Succeeded)
        {
            // Once per hook per batch is enough: no failure of it has been counted since.
            if (_hooksReset.Add(result.HookId))
            {
                await Sql.ExecuteAsync(_resetFailures, cancellationToken, result.HookId);
            }
        }
        else if (result.IsFinalFailure || result.DisableHookReason is not null)
        {
            _hooksReset.Remove(result.HookId);
            await Sql.ExecuteAsync(_countFailure, cancellationToken, result.HookId, result.DisableHookReason, a.Error ?? $"HTTP {a.StatusCode}", now);
            await Sql.ExecuteAsync(_holdPending, cancellationToken, result.HookId);
        }
    }
}
