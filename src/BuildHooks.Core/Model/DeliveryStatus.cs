namespace BuildHooks.Core.Model;

/// <summary>Where a delivery stands. Nothing is ever deleted silently: a disabled hook's work is Held.</summary>
public enum DeliveryStatus
{
    Pending,
    /// <summary>Waiting because its hook is disabled; re-enabling the hook makes it pending again.</summary>
    Held,
    Succeeded,
    Failed,
    Cancelled,
}
