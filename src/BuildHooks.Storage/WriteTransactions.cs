using Npgsql;

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

    /// <summary>
    /// <see cref="WriteAsync{T}"/> for a delete, which runs again as it is. On PostgreSQL deleting a hook also deletes its
    /// deliveries, whose rows the nodes' attempt results may be updating at that moment in another order: one of the two
    /// is then rolled back as a deadlock. The attempt writer retries its side; this retries the delete's, so the user sees it done.
    /// </summary>
    public static async Task<T> DeleteAsync<T>(this BuildHooksDb db, WriteGate gate, Func<Task<T>> delete, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await db.WriteAsync(gate, delete, cancellationToken);
            }
            catch (Exception e) when (attempt < 5 && ExceptionChain.Any(e, x => x is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected }))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }
    }
}
