using BuildHooks.Core;
using BuildHooks.Core.Model;
using BuildHooks.Delivery.Sending;
using BuildHooks.Storage.Queue;

namespace BuildHooks.Delivery.Dispatching;

/// <summary>Decides what an attempt means for its delivery: done, retry later, failed for good, or hook gone.</summary>
public sealed class OutcomePlanner(RetryPolicy retryPolicy, TimeProvider time)
{
    public AttemptResult Plan(ClaimedDelivery delivery, SendResult sent, int attemptNumber, DateTimeOffset startedAt)
    {
        var trigger = delivery.RoundStart > 0 && attemptNumber == delivery.RoundStart + 1 ? AttemptTrigger.Manual : AttemptTrigger.Scheduled;
        var attempt = sent.ToAttempt(delivery.Id, attemptNumber, trigger, startedAt, UrlRedaction.Redact(delivery.Url));
        var now = time.GetUtcNow();
        if (sent.Succeeded)
        {
            return new AttemptResult(attempt, delivery.HookId, DeliveryStatus.Succeeded, now.ToUnixTimeMilliseconds());
        }

        if (sent.StatusCode == 410)
        {
            // 410 Gone is the receiver saying "stop": Standard Webhooks asks senders to disable the endpoint.
            return new AttemptResult(attempt, delivery.HookId, DeliveryStatus.Failed, now.ToUnixTimeMilliseconds(),
                $"The receiver answered 410 Gone at {now:u}; re-enable the hook when it accepts deliveries again.");
        }

        var delay = retryPolicy.NextDelay(attemptNumber - delivery.RoundStart, delivery.MaxAttempts, sent.RetryAfter);
        return delay is { } d
            ? new AttemptResult(attempt, delivery.HookId, DeliveryStatus.Pending, (now + d).ToUnixTimeMilliseconds())
            : new AttemptResult(attempt, delivery.HookId, DeliveryStatus.Failed, now.ToUnixTimeMilliseconds());
    }
}
