namespace BuildHooks.Server.Services.Bins;

/// <summary>Settings under <c>BuildHooks:Bins</c>: how much a request bin may keep, and for how long.</summary>
public sealed class BinOptions
{
    public const string Section = "BuildHooks:Bins";

    /// <summary>Bytes of each captured body that are stored; the rest is read and thrown away (up to the server's body limit).</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Captures a bin keeps; a new one beyond this drops the oldest, so a bin never refuses a request.</summary>
    public int MaxRequests { get; set; } = 1000;

    /// <summary>Captures one bin takes per minute; more are answered 429 with Retry-After. 0 turns the limit off.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>How long a bin lives when its creator does not say.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How often expired bins are looked for.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows deleted per write transaction when pruning.</summary>
    public int PruneBatchSize { get; set; } = 200;
}
