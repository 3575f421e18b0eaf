namespace BuildHooks.Server.Infrastructure;

/// <summary>Settings under <c>BuildHooks:RateLimit</c>: API requests allowed per token (or per address without one) in each window.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "BuildHooks:RateLimit";

    /// <summary>
    /// Requests one token may make in a window; 0 turns the limit off. Generous: the benchmark's busiest
    /// token reports about 200 builds/s, and a CI burst must never be refused.
    /// </summary>
    public int PermitLimit { get; set; } = 6000;

    /// <summary>The fixed window the limit counts in.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
