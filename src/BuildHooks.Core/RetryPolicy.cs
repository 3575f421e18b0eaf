using System.Net.Http.Headers;

namespace BuildHooks.Core;

/// <summary>When to try a failed delivery again: Svix's schedule with ±20 % jitter, and Retry-After within bounds.</summary>
public sealed class RetryPolicy
{
    public const int DefaultMaxAttempts = 8;

    /// <summary>Each scheduled delay is moved by up to this fraction either way.</summary>
    public const double Jitter = 0.2;

    /// <summary>The longest Retry-After a receiver can ask for.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    /// <summary>The default delays: after attempt n comes Schedule[n - 1]; past the end the last entry repeats.</summary>
    public static IReadOnlyList<TimeSpan> DefaultSchedule { get; } =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    private readonly Func<double> _unitRandom;

    public RetryPolicy()
        : this(Random.Shared.NextDouble)
    {
    }

    /// <param name="unitRandom">A source of numbers in [0, 1) that places each delay within its jitter band.</param>
    /// <param name="schedule">Delays between attempts (configurable so tests and impatient operators can shorten them).</param>
    public RetryPolicy(Func<double> unitRandom, IReadOnlyList<TimeSpan>? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(unitRandom);
        _unitRandom = unitRandom;
        Schedule = schedule is { Count: > 0 } ? schedule : DefaultSchedule;
    }

    /// <summary>The delay after attempt n is Schedule[n - 1]; past the end the last entry repeats.</summary>
    public IReadOnlyList<TimeSpan> Schedule { get; }

    /// <summary>
    /// The delay before the next attempt, or null when the delivery has failed for good.
    /// attemptsMade counts the attempts of the current round (1 after the first failure).
    /// retryAfter is the receiver's Retry-After (429/503), honoured within bounds.
    /// </summary>
    public TimeSpan? NextDelay(int attemptsMade, int maxAttempts, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attemptsMade);
        if (attemptsMade >= maxAttempts)
        {
            return null;
        }

        if (attemptsMade == 0)
        {
            return TimeSpan.Zero;
        }

        var scheduled = Schedule[Math.Min(attemptsMade, Schedule.Count) - 1];
        var factor = 1 + (Jitter * ((2 * Math.Clamp(_unitRandom(), 0, 1)) - 1));
        var delay = scheduled * factor;

        if (retryAfter is not { } asked || asked <= delay)
        {
            return delay;
        }

        // Wait as long as a busy receiver asks, but never so long on its word alone that a delivery sleeps for days.
        return asked < MaxRetryAfter ? asked : MaxRetryAfter;
    }

    /// <summary>
    /// Reads a Retry-After header value: delta-seconds (<c>120</c>) or an HTTP-date, which is taken relative to
    /// <paramref name="now"/> (a date already past gives zero). Null when the value is missing or malformed.
    /// </summary>
    public static TimeSpan? ParseRetryAfter(string? headerValue, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(headerValue) || !RetryConditionHeaderValue.TryParse(headerValue, out var parsed))
        {
            return null;
        }

        if (parsed.Delta is { } delta)
        {
            return delta;
        }

        if (parsed.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
