using BuildHooks.Storage.Postgres;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// PostgreSQL: the batch runs in its own transaction beside other nodes' batches, on a pooled connection of
/// its own. The batch begins and commits that transaction itself (see <see cref="PostgresBuildWriteBatch"/>).
/// </summary>
internal sealed class PostgresBuildWriter(PostgresDatabase database) : IBuildWriter
{
    public async Task<T> WriteAsync<T>(Func<IBuildWriteBatch, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var batch = new PostgresBuildWriteBatch(connection);
        var result = await work(batch);
        await batch.CommitAsync(cancellationToken);
        return result;
    }
}
