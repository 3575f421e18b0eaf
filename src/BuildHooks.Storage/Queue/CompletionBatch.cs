using BuildHooks.Core.Model;
using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage.Queue;

/// <summary>
/// Writes attempt outcomes inside one transaction with commands prepared once and reused for
/// every row: at thousands of attempts a second, re-parsing SQL per row is the cost that matters.
/// </summary>
internal sealed class CompletionBatch
{
    private readonly SqliteCommand _insertAttempt;
    private readonly SqliteCommand _updateDelivery;
    private readonly SqliteCommand _resetFailures;
    private readonly SqliteCommand _countFailure;
    private readonly SqliteCommand _holdPending;

    public CompletionBatch(SqliteConnection connection, SqliteTransaction transaction)
    {
        _insertAttempt = Command(connection, transaction, """
            INSERT INTO attempts (delivery_id, number, "trigger", started_at_ms, url, request_headers, succeeded,
                                  status_code, response_headers, response_body, duration_ms, error)
            VALUES ($delivery, $number, $trigger, $started, $url, $request_headers, $succeeded,
                    $status_code, $response_headers, $response_body, $duration, $error)
            """);
        // A retry of a hook that was disabled meanwhile is held, not pending, so nobody sends it.
        _updateDelivery = Command(connection, transaction, """
            UPDATE deliveries SET
              status = CASE WHEN $status = 'pending' AND (SELECT enabled FROM hooks WHERE id = $hook) = 0 THEN 'held' ELSE $status END,
              attempt_count = MAX(attempt_count, $number), next_attempt_at_ms = $next,
              lease_owner = NULL, lease_until_ms = NULL,
              last_status_code = $status_code, last_error = $error,
              completed_at_ms = CASE WHEN $status IN ('succeeded', 'failed') THEN $now_ms ELSE NULL END
            WHERE id = $delivery AND (lease_owner = $owner OR lease_owner IS NULL)
            """);
        _resetFailures = Command(connection, transaction,
            "UPDATE hooks SET consecutive_failures = 0 WHERE id = $hook AND consecutive_failures <> 0");
        _countFailure = Command(connection, transaction, $"""
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
            """);
        _holdPending = Command(connection, transaction,
            "UPDATE deliveries SET status = 'held' WHERE hook_id = $hook AND status = 'pending' AND (SELECT enabled FROM hooks WHERE id = $hook) = 0");
    }

    public async Task WriteAsync(string owner, AttemptResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var a = result.Attempt;
        var status = result.NewStatus.ToString().ToLowerInvariant();
        await Run(_insertAttempt, cancellationToken,
            ("$delivery", a.DeliveryId), ("$number", a.Number), ("$trigger", a.Trigger.ToString().ToLowerInvariant()),
            ("$started", a.StartedAtMs), ("$url", a.Url), ("$request_headers", a.RequestHeaders), ("$succeeded", a.Succeeded),
            ("$status_code", a.StatusCode), ("$response_headers", a.ResponseHeaders), ("$response_body", a.ResponseBody),
            ("$duration", a.DurationMs), ("$error", a.Error));
        await Run(_updateDelivery, cancellationToken,
            ("$status", status), ("$hook", result.HookId), ("$number", a.Number), ("$next", result.NextAttemptAtMs),
            ("$status_code", a.StatusCode), ("$error", a.Error), ("$now_ms", now.ToUnixTimeMilliseconds()),
            ("$delivery", a.DeliveryId), ("$owner", owner));

        if (a.Succeeded)
        {
            await Run(_resetFailures, cancellationToken, ("$hook", result.HookId));
        }
        else if (result.IsFinalFailure || result.DisableHookReason is not null)
        {
            await Run(_countFailure, cancellationToken,
                ("$hook", result.HookId), ("$reason", result.DisableHookReason),
                ("$last", a.Error ?? $"HTTP {a.StatusCode}"), ("$now", now));
            await Run(_holdPending, cancellationToken, ("$hook", result.HookId));
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static Task<int> Run(SqliteCommand command, CancellationToken cancellationToken, params (string Name, object? Value)[] values)
    {
        if (command.Parameters.Count == 0)
        {
            foreach (var (name, _) in values)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i].Value ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}
