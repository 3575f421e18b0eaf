using BuildHooks.Core.Model;

namespace BuildHooks.Storage.Queue;

/// <summary>What one attempt did to its delivery and hook, ready to be written with others in one batch.</summary>
public sealed record AttemptResult(
    Attempt Attempt,
    long HookId,
    DeliveryStatus NewStatus,
    long NextAttemptAtMs,
    string? DisableHookReason = null)
{
    public bool IsFinalFailure => NewStatus == DeliveryStatus.Failed;
}
