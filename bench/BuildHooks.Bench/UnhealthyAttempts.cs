using System.Collections.Concurrent;

namespace BuildHooks.Bench;

/// <summary>
/// What reached the hanging and failing hooks: every attempt (retries included) and the distinct
/// deliveries among them. Nothing here counts towards the expected deliveries or the latency.
/// </summary>
public sealed class UnhealthyAttempts
{
    private readonly ConcurrentDictionary<string, byte> _webhookIds = new();
    private long _hangingAttempts;
    private long _hangingDeliveries;
    private long _failingAttempts;
    private long _failingDeliveries;

    public void Record(HookBehaviour behaviour, string? webhookId)
    {
        var hanging = behaviour == HookBehaviour.Hanging;
        Interlocked.Increment(ref hanging ? ref _hangingAttempts : ref _failingAttempts);
        if (webhookId is not null && _webhookIds.TryAdd(webhookId, 0))
        {
            Interlocked.Increment(ref hanging ? ref _hangingDeliveries : ref _failingDeliveries);
        }
    }

    public UnhealthyCounts Counts() => new(
        Interlocked.Read(ref _hangingAttempts),
        Interlocked.Read(ref _hangingDeliveries),
        Interlocked.Read(ref _failingAttempts),
        Interlocked.Read(ref _failingDeliveries));
}
