using BuildHooks.Core.Model;

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
    TimeSpan? RetryAfter)
{
    /// <summary>The attempt as the delivery log keeps it.</summary>
    public Attempt ToAttempt(long deliveryId, int number, AttemptTrigger trigger, DateTimeOffset startedAt, string url) => new()
    {
        DeliveryId = deliveryId,
        Number = number,
        Trigger = trigger,
        StartedAtMs = startedAt.ToUnixTimeMilliseconds(),
        Url = url,
        RequestHeaders = RequestHeaders,
        Succeeded = Succeeded,
        StatusCode = StatusCode,
        ResponseHeaders = ResponseHeaders,
        ResponseBody = ResponseBody,
        DurationMs = (int)Duration.TotalMilliseconds,
        Error = Error,
    };
}
