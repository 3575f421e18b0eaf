using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;
using BuildHooks.Storage.Schema;

namespace BuildHooks.Storage.Queue;

/// <summary>A due delivery leased to this node, with what is needed to send it (the hook as it is now).</summary>
public sealed class ClaimedDelivery
{
    public long Id { get; init; }
    public string WebhookId { get; init; } = "";
    public long HookId { get; init; }
    public string Kind { get; init; } = "";
    public int AttemptCount { get; init; }
    public int RoundStart { get; init; }
    public byte[] Payload { get; init; } = [];
    public string ContentType { get; init; } = "";
    public string Url { get; init; } = "";

    /// <summary>The hook's secrets in their stored (protected) form; the sender decrypts them.</summary>
    public string Secret { get; init; } = "";

    public string? PreviousSecret { get; init; }
    public long? PreviousSecretExpiresAtMs { get; init; }

    public string Headers { get; init; } = "{}";
    public int TimeoutSeconds { get; init; }
    public int MaxAttempts { get; init; }

    /// <summary>The hook accepts any TLS certificate; the sender then uses its second, non-verifying client.</summary>
    public bool AllowInsecureTls { get; init; }

    /// <summary>
    /// The node whose lease on this delivery had run out when it was claimed (PostgreSQL: a node that died or stalled
    /// mid-attempt); null for a delivery nobody held. Its attempt was never recorded, so the receiver may have had it.
    /// </summary>
    public string? LeaseRanOutFor { get; init; }

    /// <summary>A delivery just written by the intake, before any attempt.</summary>
    public static ClaimedDelivery New(long id, string webhookId, Hook hook, RenderedPayload payload) => new()
    {
        Id = id,
        WebhookId = webhookId,
        HookId = hook.Id,
        Kind = "live",
        Payload = payload.Body,
        ContentType = payload.ContentType,
        Url = hook.Url,
        Secret = hook.Secret,
        PreviousSecret = hook.PreviousSecret,
        PreviousSecretExpiresAtMs = hook.PreviousSecretExpiresAtMs,
        Headers = JsonColumn.Write(hook.Headers),
        TimeoutSeconds = hook.TimeoutSeconds,
        MaxAttempts = hook.MaxAttempts,
        AllowInsecureTls = hook.AllowInsecureTls,
    };
}
