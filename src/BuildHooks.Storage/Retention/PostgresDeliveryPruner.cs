using BuildHooks.Storage.Postgres;
using static BuildHooks.Storage.Postgres.Pg;

namespace BuildHooks.Storage.Retention;

/// <summary>
/// <see cref="DeliveryPruner"/> on PostgreSQL. Every node may prune at once: a row deleted by one is simply
/// not found by the others.
/// </summary>
internal sealed class PostgresDeliveryPruner(PostgresDatabase database) : IDeliveryPruner
{
    private const string Finished = "status IN ('succeeded', 'failed', 'cancelled') AND completed_at_ms < $2";

    public async Task<(long? LastId, int Deleted)> PruneBatchAsync(long afterId, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        var ids = new List<long>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = Command(connection, null,
            $"SELECT id FROM deliveries WHERE id > $1 AND created_at_ms < $2 AND {Finished} ORDER BY id LIMIT $3",
            P(afterId), P(cutoffMs), P(batchSize)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        if (ids.Count == 0)
        {
            return (null, 0);
        }

        var array = ids.ToArray();
        var deleted = await database.WriteAsync(async (connection, transaction) =>
        {
            // Checked again inside the write: a delivery redelivered since the read is no longer finished.
            // Its attempts go with it (the trigger of the migration LooseDeliveryKeys).
            return await ExecuteAsync(connection, transaction, $"DELETE FROM deliveries WHERE id = ANY($1) AND {Finished}",
                cancellationToken, P(array), P(cutoffMs));
        }, cancellationToken);
        return (ids[^1], deleted);
    }
}
