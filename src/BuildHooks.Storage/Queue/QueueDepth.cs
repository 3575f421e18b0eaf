using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BuildHooks.Storage.Queue;

/// <summary>How much the queue holds, for metrics: read off the due index (pending rows only), never the table.</summary>
public sealed class QueueDepth(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Pending deliveries (every node's, on a shared database), and how long the longest-due of them has been due.</summary>
    public async Task<(long Pending, TimeSpan OldestDue)> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var pending = db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending);
        var count = await pending.LongCountAsync(cancellationToken);
        var oldest = await pending.Where(d => d.NextAttemptAtMs <= now).MinAsync(d => (long?)d.NextAttemptAtMs, cancellationToken);
        return (count, oldest is { } ms ? TimeSpan.FromMilliseconds(now - ms) : TimeSpan.Zero);
    }
}
