namespace BuildHooks.Core;

/// <summary>When to try a failed delivery again. CONTRACT — body to be written.</summary>
public sealed class RetryPolicy
{
    public const int DefaultMaxAttempts = 8;

    /// <summary>
    /// The delay before the next attempt, or null when the delivery has failed for good.
    /// attemptsMade counts the attempts of the current round (1 after the first failure).
    /// retryAfter is the receiver's Retry-After (429/503), honoured within bounds.
    /// </summary>
    public TimeSpan? NextDelay(int attemptsMade, int maxAttempts, TimeSpan? retryAfter = null)
        => throw new NotImplementedException();
}
