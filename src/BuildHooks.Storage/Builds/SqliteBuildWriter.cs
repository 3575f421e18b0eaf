namespace BuildHooks.Storage.Builds;

/// <summary>SQLite: the batch waits its turn at the single writer, ahead of attempt records and claims (urgent).</summary>
internal sealed class SqliteBuildWriter(SqliteDatabase database) : IBuildWriter
{
    public Task<T> WriteAsync<T>(Func<IBuildWriteBatch, Task<T>> work, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => work(new BatchMemory(new BuildWriteBatch(connection, transaction))), cancellationToken, urgent: true);
}
