using System.Collections.Concurrent;

namespace BuildHooks.Delivery.Dispatching;

/// <summary>
/// Per-hook concurrency: at most N requests to one hook at once. Hooks that already hold their
/// share are left out of the next claim, so a dead receiver's backlog stays in the database and
/// never crowds healthy hooks out of memory.
/// </summary>
public sealed class HookGates(int perHook)
{
    private readonly ConcurrentDictionary<long, Gate> _gates = new();

    public int PerHook => perHook;

    /// <summary>Counts a claimed delivery against its hook and returns the gate to wait on.</summary>
    public Gate Enter(long hookId)
    {
        var gate = _gates.GetOrAdd(hookId, _ => new Gate(perHook));
        Interlocked.Increment(ref gate.Held);
        return gate;
    }

    public void Leave(long hookId)
    {
        if (_gates.TryGetValue(hookId, out var gate))
        {
            Interlocked.Decrement(ref gate.Held);
        }
    }

    /// <summary>Hooks with as many deliveries in memory as they may send at once.</summary>
    public IReadOnlyCollection<long> Saturated() =>
        _gates.Where(g => Volatile.Read(ref g.Value.Held) >= perHook).Select(g => g.Key).ToList();

    public sealed class Gate(int perHook)
    {
        public readonly SemaphoreSlim Slots = new(perHook, perHook);
        public int Held;
    }
}
