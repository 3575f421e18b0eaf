namespace BuildHooks.Storage.Builds;

/// <summary>Runs a batch of build writes in one transaction.</summary>
public interface IBuildWriter
{
    /// <summary>
    /// Runs <paramref name="work"/> on a batch that remembers what it read (<see cref="BatchMemory"/>) and commits it.
    /// Throws <see cref="WriteConflictException"/> when nothing was written because the projects changed meanwhile.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IBuildWriteBatch, Task<T>> work, CancellationToken cancellationToken);
}
