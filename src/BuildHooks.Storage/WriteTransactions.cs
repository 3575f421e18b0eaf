namespace BuildHooks.Storage;

public static class WriteTransactions
{
    /// <summary>Runs EF Core work in one transaction, after the other writers in this process (see <see cref="SqliteDatabase"/>).</summary>
    public static async Task<T> WriteAsync<T>(this BuildHooksDb db, SqliteDatabase sqlite, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await sqlite.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            sqlite.WriteGate.Release();
        }
    }
}
