namespace BuildHooks.Storage.Queue;

/// <summary>
/// The durable delivery queue: claims due deliveries in batches under a lease and writes attempt
/// outcomes in batches. One implementation per database, because this is the hot path and its SQL differs.
/// </summary>
public interface IDeliveryQueue
{
    /// <summary>Leases up to <paramref name="limit"/> due deliveries to <paramref name="owner"/>, leaving out busy hooks.</summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        string owner, int limit, IReadOnlyCollection<long> excludedHooks, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>When this node should look again for something to claim, if anything is waiting.</summary>
    Task<DateTimeOffset?> NextDueAsync(IReadOnlyCollection<long> excludedHooks, CancellationToken cancellationToken);

    /// <summary>Keeps this node's leases alive while their deliveries wait for a slow receiver.</summary>
    Task RenewLeasesAsync(string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Hands back leases without an attempt: <paramref name="owner"/>'s on a clean stop; with no owner, at
    /// start-up, those that can only belong to a dead process. Returns how many it handed back.
    /// </summary>
    Task<int> ReleaseLeasesAsync(string? owner, CancellationToken cancellationToken);

    /// <summary>Writes a batch of attempts and their consequences in one transaction.</summary>
    Task CompleteAsync(string owner, IReadOnlyList<AttemptResult> results, CancellationToken cancellationToken);
}
