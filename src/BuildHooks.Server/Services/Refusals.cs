using BuildHooks.Core.Model;

namespace BuildHooks.Server.Services;

/// <summary>When a redelivery or a recovery must wait, and why: one wording for the API's problems and the hook page.</summary>
public static class Refusals
{
    public sealed record Refusal(string Title, string Detail);

    /// <summary>Null when the delivery may be sent again now.</summary>
    public static Refusal? Redeliver(BuildHooks.Core.Model.Delivery delivery, bool hookEnabled) => delivery switch
    {
        { Status: DeliveryStatus.Pending } => new("Delivery already pending",
            $"Delivery {delivery.Id} is already queued; it will be sent at {DateTimeOffset.FromUnixTimeMilliseconds(delivery.NextAttemptAtMs):u}."),
        _ when !hookEnabled => new("Hook disabled",
            $"Hook {delivery.HookId} is disabled; enable it before redelivering (its held deliveries are then sent too)."),
        _ => null,
    };

    /// <summary>Null when the hook's failed deliveries may be recovered now.</summary>
    public static Refusal? Recover(Hook hook) => hook.Enabled
        ? null
        : new("Hook disabled", $"Hook {hook.Id} is disabled; enable it before recovering its failed deliveries.");
}
