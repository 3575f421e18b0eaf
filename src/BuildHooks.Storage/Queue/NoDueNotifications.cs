namespace BuildHooks.Storage.Queue;

/// <summary>SQLite: a single node hears its own reports in-process.</summary>
internal sealed class NoDueNotifications : IDueNotifications
{
    public Task ListenAsync(Action due, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task NotifyAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
