namespace BuildHooks.Storage;

/// <summary>
/// Serialises this process's write transactions where the database has a single writer (SQLite): waiting
/// here is cheaper and fairer than spinning in SQLite's busy handler. PostgreSQL's MVCC lets writers run
/// side by side, so there the gate lets everyone through.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim? _semaphore;

    private WriteGate(SemaphoreSlim? semaphore) => _semaphore = semaphore;

    /// <summary>One writer at a time (SQLite).</summary>
    public static WriteGate Serial() => new(new SemaphoreSlim(1, 1));

    /// <summary>No gate (PostgreSQL).</summary>
    public static WriteGate Open() => new(null);

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (_semaphore is null)
        {
            return await work();
        }

        await _semaphore.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            _semaphore.Release();
        }
    }
}
