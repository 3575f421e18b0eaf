namespace BuildHooks.Bench;

/// <summary>What the warm-up ran: builds accepted, how long it reported, and how the sender's JIT stood when it stopped.</summary>
public sealed record WarmupResult(long Builds, TimeSpan Duration, string Jit)
{
    public static WarmupResult None { get; } = new(0, TimeSpan.Zero, "");
}
