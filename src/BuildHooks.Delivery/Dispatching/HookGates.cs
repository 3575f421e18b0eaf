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
        var gate = GateOf(hookId);
        Interlocked.Increment(ref gate.Held);
        return gate;
    }

    public Gate GateOf(long hookId) => _gates.GetOrAdd(hookId, _ => new Gate(perHook));

    /// <summary>Counts a delivery against its hook only if the hook has a free slot now.</summary>
    public bool TryEnter(long hookId)
    {
        var gate = GateOf(hookId);
        if (Interlocked.Increment(ref gate.Held) <= perHook)
        {
            return true;
        }

        Interlocked.Decrement(ref gate.Held);
        return false;
    }

    /// <summary>Returns true when the hook was saturated, i.e. left out of claims until now.</summary>
    public bool Leave(long hookId) =>
        _gates.TryGetValue(hookId, out var gate) && Interlocked.Decrement(ref gate.Held) + 1 >= perHook;

    /// <summary>Hooks with as many deliveries in memory as they may send at once.</summary>
    public IReadOnlyCollection<long> Saturated() =>
        _gates.Where(g => Volatile.Read(ref g.Value.Held) >= perHook).Select(g => g.Key).ToList();

    public sealed class Gate(int perHook)
    {
        public readonly SemaphoreSlim Slots = new(perHook, perHook);
        public int Held;
    }
}
