namespace BuildHooks.Core.Model;

/// <summary>
/// One build on its way to one hook. The payload is rendered and frozen when the delivery is
/// created, so every attempt sends the same bytes under the same <see cref="WebhookId"/>.
/// Queue times are Unix milliseconds so that both databases can compare and index them cheaply.
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }

    /// <summary>Standard Webhooks <c>webhook-id</c>: the same on every attempt and redelivery.</summary>
    public required string WebhookId { get; set; }

    public long HookId { get; set; }
    public long ProjectId { get; set; }
    public long? BuildId { get; set; }
    public DeliveryKind Kind { get; set; }
    public DeliveryStatus Status { get; set; }
    public int AttemptCount { get; set; }

    /// <summary>AttemptCount when the current round began; a redelivery starts a fresh round of retries.</summary>
    public int RoundStart { get; set; }

    public long NextAttemptAtMs { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntilMs { get; set; }
    public required byte[] Payload { get; set; }
    public required string ContentType { get; set; }
    public long CreatedAtMs { get; set; }
    public long? CompletedAtMs { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}
