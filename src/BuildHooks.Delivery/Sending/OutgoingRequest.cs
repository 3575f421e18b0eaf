namespace BuildHooks.Delivery.Sending;

/// <summary>One attempt to make: the frozen payload, where it goes and how it is signed.</summary>
public sealed record OutgoingRequest(
    string WebhookId,
    string Url,
    byte[] Payload,
    string ContentType,
    IReadOnlyList<string> Secrets,
    IReadOnlyDictionary<string, string> CustomHeaders,
    int AttemptNumber,
    TimeSpan Timeout,
    bool IsTest = false,
    bool AllowInsecureTls = false);
