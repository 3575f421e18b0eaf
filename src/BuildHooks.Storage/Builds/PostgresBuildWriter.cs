using BuildHooks.Storage.Postgres;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// PostgreSQL: the batch runs in its own transaction beside other nodes' batches. When it wrote deliveries
/// that this node is not sending itself, it notifies the other nodes in the same transaction, so the
/// notice arrives exactly when the rows become visible.
/// </summary>
internal sealed class PostgresBuildWriter(PostgresDatabase database) : IBuildWriter
{
    public Task<T> WriteAsync<T>(Func<IBuildWriteBatch, Task<T>> work, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var batch = new PostgresBuildWriteBatch(connection, transaction);
            var result = await work(batch);
            await batch.FlushAsync(cancellationToken);
            if (batch.WroteUnleased)
            {
                await PostgresDatabase.NotifyDueAsync(connection, transaction, cancellationToken);
            }

            return result;
        }, cancellationToken);
}
