using BuildHooks.Core.Model;
using BuildHooks.Core.Signing;
using BuildHooks.Delivery;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Delivery.Secrets;
using BuildHooks.Server.Contracts;
using BuildHooks.Storage;
using BuildHooks.Storage.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services;

/// <summary>
/// Changing hooks, turning them on and off, rotating their secrets and sending deliveries again: one place that
/// the API and the web pages both call. A disabled hook's pending work is held, never dropped; enabling the hook
/// releases it.
/// </summary>
public sealed class HookControl(
    BuildHooksDb db, WriteGate writes, DispatchSignal signal, IDueNotifications otherNodes, HookActivity activity, SecretProtector secrets,
    IOptions<DeliveryOptions> options, TimeProvider time)
{
    /// <summary>Applies a validated <paramref name="write"/> to a tracked hook; a change of Enabled holds or releases its work.</summary>
    public async Task UpdateAsync(Hook hook, HookWrite write, CancellationToken cancellationToken)
    {
        var enabled = hook.Enabled;
        write.ApplyTo(hook);
        await WriteAsync(() => db.SaveChangesAsync(cancellationToken), hook.Id, cancellationToken);
        if (write.Enabled is { } wanted && wanted != enabled)
        {
            await SetEnabledAsync(hook, wanted, cancellationToken);
        }
    }

    public async Task<bool> DeleteAsync(long projectId, long hookId, CancellationToken cancellationToken)
    {
        var deleted = await db.DeleteAsync(writes, () => db.Hooks.Where(h => h.Id == hookId && h.ProjectId == projectId).ExecuteDeleteAsync(cancellationToken),
            cancellationToken);
        activity.Touch(hookId);
        return deleted > 0;
    }

    /// <summary>A new secret now; the old one keeps signing beside it for the configured overlap, so receivers can switch without losing a message.</summary>
    public async Task<SecretRotation> RotateSecretAsync(Hook hook, CancellationToken cancellationToken)
    {
        var secret = WebhookSecret.Generate();
        var expiresAt = time.GetUtcNow() + TimeSpan.FromTicks(Math.Max(0, options.Value.SecretRotationOverlap.Ticks));
        var previous = Reprotect(hook.Secret);
        hook.Secret = secrets.Protect(secret);
        hook.PreviousSecret = previous;
        hook.PreviousSecretExpiresAtMs = previous is null ? null : expiresAt.ToUnixTimeMilliseconds();
        await db.WriteAsync(writes, () => db.SaveChangesAsync(cancellationToken), cancellationToken);
        return new SecretRotation(secret, previous is null ? null : expiresAt);
    }

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
        }, hook.Id, cancellationToken);
    }

    /// <summary>Queues a delivery again with a fresh round of retries and the same webhook-id.</summary>
    public async Task RedeliverAsync(BuildHooks.Core.Model.Delivery delivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await WriteAsync(() => db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Pending)
            .SetProperty(d => d.RoundStart, d => d.AttemptCount)
            .SetProperty(d => d.NextAttemptAtMs, now)
            .SetProperty(d => d.CompletedAtMs, (long?)null), cancellationToken), delivery.HookId, cancellationToken);
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
                .SetProperty(d => d.CompletedAtMs, (long?)null), cancellationToken), hook.Id, cancellationToken);
        return count;
    }

    /// <summary>
    /// The current secret protected afresh (so one stored before encryption does not stay in plain text as the
    /// previous one), or null when its keys are lost and nothing can sign with it any more.
    /// </summary>
    private string? Reprotect(string stored)
    {
        try
        {
            return secrets.Protect(secrets.Unprotect(stored));
        }
        catch (SecretUnreadableException)
        {
            return null;
        }
    }

    private async Task WriteAsync(Func<Task> work, long hookId, CancellationToken cancellationToken)
    {
        await db.WriteAsync(writes, async () =>
        {
            await work();
            return true;
        }, cancellationToken);
        // Whichever node is free should send what this made due, as with a new report.
        signal.Wake();
        await otherNodes.NotifyAsync(cancellationToken);
        activity.Touch(hookId);
    }
}
