namespace BuildHooks.Storage.Builds;

/// <summary>Runs a batch of build writes in one transaction.</summary>
public interface IBuildWriter
{
    Task<T> WriteAsync<T>(Func<IBuildWriteBatch, Task<T>> work, CancellationToken cancellationToken);
}
