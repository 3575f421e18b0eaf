using BuildHooks.Storage.Postgres;
using Npgsql;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// PostgreSQL: the batch runs in its own transaction beside other nodes' batches, on a pooled connection of
/// its own. The batch begins and commits that transaction itself (see <see cref="PostgresBuildWriteBatch"/>),
/// and the node remembers what it read for the next batch (<see cref="PostgresIngestMemory"/>).
/// </summary>
internal sealed class PostgresBuildWriter(PostgresDatabase database, PostgresIngestMemory memory) : IBuildWriter
{
    public async Task<T> WriteAsync<T>(Func<IBuildWriteBatch, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var batch = new PostgresBuildWriteBatch(connection, memory);
        try
        {
            var writes = new BatchMemory(batch);
            var result = await work(writes);
            await batch.CommitAsync(writes, cancellationToken);
            return result;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SerializationFailure)
        {
            batch.Forget(conflict: true);
            throw new WriteConflictException("The batch's projects changed since this node last read them; nothing was written.", e);
        }
        catch
        {
            batch.Forget(conflict: false);
            throw;
        }
    }
}
