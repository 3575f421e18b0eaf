using System.Text.Json;
using Dapper;

namespace BuildHooks.Storage.Retention;

/// <summary>
/// Deletes finished deliveries (succeeded, failed, cancelled) completed before a cutoff, with their attempts,
/// a small batch per write transaction so the single SQLite writer is never held for long.
/// </summary>
public sealed class DeliveryPruner(SqliteDatabase database) : IDeliveryPruner
{
    private const string Finished = "status IN ('succeeded', 'failed', 'cancelled') AND completed_at_ms < @cutoff";

    /// <summary>
    /// Finds the next batch on a reader (WAL: it never blocks the writer), walking ids upwards from
    /// <paramref name="afterId"/>, then deletes it in one short write. Returns the last id looked at and how
    /// many deliveries were deleted; a last id of null means the table has been walked to its end.
    /// </summary>
    public async Task<(long? LastId, int Deleted)> PruneBatchAsync(long afterId, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        List<long> ids;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // completed_at_ms >= created_at_ms, so nothing created after the cutoff can qualify.
            ids = (await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM deliveries WHERE id > @afterId AND created_at_ms < @cutoff AND {Finished} ORDER BY id LIMIT @batchSize",
                new { afterId, cutoff = cutoffMs, batchSize }, cancellationToken: cancellationToken))).AsList();
        }

        if (ids.Count == 0)
        {
            return (null, 0);
        }

        var json = JsonSerializer.Serialize(ids);
        var deleted = await database.WriteAsync(async (connection, transaction) =>
        {
            // Checked again inside the write: a delivery redelivered since the read is no longer finished.
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE id IN (SELECT value FROM json_each(@ids)) AND {Finished})",
                new { ids = json, cutoff = cutoffMs }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(@ids)) AND {Finished}",
                new { ids = json, cutoff = cutoffMs }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
        return (ids[^1], deleted);
    }
}
