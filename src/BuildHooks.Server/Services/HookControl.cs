using BuildHooks.Core.Model;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Services;

/// <summary>
/// Turning hooks on and off and sending deliveries again. A disabled hook's pending work is held,
/// never dropped; enabling the hook releases it.
/// </summary>
public sealed class HookControl(BuildHooksDb db, WriteGate writes, DispatchSignal signal, TimeProvider time)
{
    public async Task SetEnabledAsync(Hook hook, bool enabled, CancellationToken cancellationToken)
    {
        await WriteAsync(async () =>
        {
            if (enabled)
            {
                hook.Enabled = true;
                hook.ConsecutiveFailures = 0;
                hook.DisabledReason = null;
                hook.DisabledAt = null;
                await db.SaveChangesAsync(cancellationToken);
                // Re-enabling says the receiver is fixed: what was held goes out now, not after its back-off.
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                await db.Deliveries.Where(d => d.HookId == hook.Id && d.Status == DeliveryStatus.Held)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(d => d.Status, DeliveryStatus.Pending)
                        .SetProperty(d => d.NextAttemptAtMs, d => d.NextAttemptAtMs < now ? d.NextAttemptAtMs : now), cancellationToken);
            }
            else
            {
                hook.Enabled = false;
                hook.DisabledReason = "Disabled by a user.";
                hook.DisabledAt = time.GetUtcNow();
                await db.SaveChangesAsync(cancellationToken);
                await db.Deliveries.Where(d => d.HookId == hook.Id && d.Status == DeliveryStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Held), cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>Queues a delivery again with a fresh round of retries and the same webhook-id.</summary>
    public async Task RedeliverAsync(BuildHooks.Core.Model.Delivery delivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await WriteAsync(() => db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Pending)
            .SetProperty(d => d.RoundStart, d => d.AttemptCount)
            .SetProperty(d => d.NextAttemptAtMs, now)
            .SetProperty(d => d.CompletedAtMs, (long?)null), cancellationToken), cancellationToken);
    }

    /// <summary>Redelivers every failed delivery of a hook created at or after <paramref name="since"/>.</summary>
    public async Task<int> RecoverAsync(Hook hook, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var from = since.ToUnixTimeMilliseconds();
        var count = 0;
        await WriteAsync(async () => count = await db.Deliveries
            .Where(d => d.HookId == hook.Id && d.Status == DeliveryStatus.Failed && d.CreatedAtMs >= from)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.RoundStart, d => d.AttemptCount)
                .SetProperty(d => d.NextAttemptAtMs, now)
                .SetProperty(d => d.CompletedAtMs, (long?)null), cancellationToken), cancellationToken);
        return count;
    }

    private async Task WriteAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        await db.WriteAsync(writes, async () =>
        {
            await work();
            return true;
        }, cancellationToken);
        signal.Wake();
    }
}
