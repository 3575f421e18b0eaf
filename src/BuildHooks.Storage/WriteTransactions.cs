namespace BuildHooks.Storage;

public static class WriteTransactions
{
    /// <summary>Runs EF Core work in one transaction, after the other writers in this process where the database needs that (see <see cref="WriteGate"/>).</summary>
    public static Task<T> WriteAsync<T>(this BuildHooksDb db, WriteGate gate, Func<Task<T>> work, CancellationToken cancellationToken) =>
        gate.RunAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);
}
