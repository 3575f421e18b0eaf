using BuildHooks.Core.Model;

namespace BuildHooks.Storage.Builds;

/// <summary>The statements that record builds and their deliveries inside one write transaction (the ingest hot path).</summary>
public interface IBuildWriteBatch
{
    /// <summary>
    /// Reads at once what a batch will ask of its projects and of the branches its new builds are on, where one
    /// round trip for all is worth it (PostgreSQL); null where asking one question at a time costs as little (SQLite,
    /// in-process). On PostgreSQL it also locks the projects' rows, in id order, so two nodes' batches cannot deadlock,
    /// and takes in the same round trip the ids the batch's builds and deliveries will need.
    /// </summary>
    Task<BatchFacts?> ReadAheadAsync(BatchOutline outline, CancellationToken cancellationToken);

    /// <summary>The project as payloads show it, or null when it does not exist (any more).</summary>
    Task<Project?> ProjectAsync(long projectId, CancellationToken cancellationToken);

    /// <summary>The project's next build number; null when numbering has run out (a number near int.MaxValue was given).</summary>
    Task<int?> NextNumberAsync(long projectId, CancellationToken cancellationToken);

    Task<bool> NumberTakenAsync(long projectId, int number, CancellationToken cancellationToken);

    /// <summary>
    /// The id of the project's build recorded with this Idempotency-Key, or null. Asked only for a report that has a key,
    /// after its project is locked (every report asks for its project first), so a build another node recorded with the
    /// key is seen here rather than failing the insert on the unique index.
    /// </summary>
    Task<long?> BuildWithKeyAsync(long projectId, string key, CancellationToken cancellationToken);

    /// <summary>Inserts the build and sets its <see cref="Build.Id"/>.</summary>
    Task InsertAsync(Build b, CancellationToken cancellationToken);

    /// <summary>Finishes a running build; false when it had already finished.</summary>
    Task<bool> FinishAsync(Build b, CancellationToken cancellationToken);

    Task<BuildStatus?> PreviousStatusAsync(Build b, CancellationToken cancellationToken);

    Task<List<Hook>> EnabledHooksAsync(long projectId, CancellationToken cancellationToken);

    /// <summary>Inserts a pending delivery, leased to <paramref name="leaseOwner"/> when that node sends it at once; returns its id.</summary>
    Task<long> InsertDeliveryAsync(
        string webhookId, long hookId, long projectId, long buildId, long nowMs, byte[] payload, string contentType,
        string? leaseOwner, long? leaseUntilMs, CancellationToken cancellationToken);
}
