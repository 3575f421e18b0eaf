namespace BuildHooks.Storage.Queue;

/// <summary>
/// Tells this node that another node has written deliveries it could not send itself (PostgreSQL
/// LISTEN/NOTIFY). One process serves a SQLite file, so there the listener has nothing to hear.
/// </summary>
public interface IDueNotifications
{
    /// <summary>Calls <paramref name="due"/> on every notice until cancelled; reconnects after a lost connection.</summary>
    Task ListenAsync(Action due, CancellationToken cancellationToken);

    /// <summary>Tells the other nodes that deliveries may have become due (a redelivery, a hook enabled again).</summary>
    Task NotifyAsync(CancellationToken cancellationToken);
}
