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
    public string Secret { get; init; } = "";
    public string Headers { get; init; } = "{}";
    public int TimeoutSeconds { get; init; }
    public int MaxAttempts { get; init; }
}
