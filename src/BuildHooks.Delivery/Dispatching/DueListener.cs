using BuildHooks.Storage.Queue;
using Microsoft.Extensions.Hosting;

namespace BuildHooks.Delivery.Dispatching;

/// <summary>
/// Wakes this node's dispatcher when another node has written deliveries it is not sending itself
/// (PostgreSQL NOTIFY), so a build reported anywhere is sent at once by whichever node is free.
/// </summary>
public sealed class DueListener(IDueNotifications notifications, DispatchSignal signal) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => notifications.ListenAsync(signal.Wake, stoppingToken);
}
