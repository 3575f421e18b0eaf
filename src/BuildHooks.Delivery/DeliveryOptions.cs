namespace BuildHooks.Delivery;

/// <summary>Settings under <c>BuildHooks:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "BuildHooks:Delivery";

    /// <summary>CIDRs that hooks may reach although they are loopback, private or otherwise blocked.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Deliveries claimed per database round trip.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Deliveries held in memory (sending or waiting for their hook's turn) at most.</summary>
    public int MaxInFlight { get; set; } = 4000;

    /// <summary>Concurrent requests to one hook, so a slow receiver cannot take every connection.</summary>
    public int PerHookConcurrency { get; set; } = 32;

    /// <summary>How long a claimed delivery stays invisible to others; renewed while this node lives.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Delays between attempts; empty means the default (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).</summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>How long the secret before a rotation keeps signing deliveries beside the new one.</summary>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How much of a response body the attempt log keeps.</summary>
    public int MaxResponseBodyBytes { get; set; } = 16 * 1024;
}
