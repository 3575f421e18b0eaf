namespace BuildHooks.Storage.Builds;

/// <summary>Runs a batch of build writes in one transaction.</summary>
public interface IBuildWriter
{
    /// <summary>How many batches may be written at once: one where the database has a single writer.</summary>
    int ConcurrentBatches { get; }

    Task<T> WriteAsync<T>(Func<IBuildWriteBatch, Task<T>> work, CancellationToken cancellationToken);
}
