namespace BuildHooks.Delivery.Sending;

/// <summary>What the receiver did with one attempt.</summary>
public sealed record SendResult(
    bool Succeeded,
    int? StatusCode,
    string RequestHeaders,
    string? ResponseHeaders,
    string? ResponseBody,
    TimeSpan Duration,
    string? Error,
    TimeSpan? RetryAfter);
