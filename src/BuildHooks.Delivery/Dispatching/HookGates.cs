using System.Collections.Concurrent;

namespace BuildHooks.Delivery.Dispatching;

/// <summary>
/// Per-hook concurrency: at most a hook's current limit of requests to it at once. Hooks that already
/// hold their share are left out of the next claim, so a dead receiver's backlog stays in the database
/// and never crowds healthy hooks out of memory.
/// </summary>
public sealed class HookGates(int perHook)
{
    private readonly ConcurrentDictionary<long, Gate> _gates = new();

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
        if (Interlocked.Increment(ref gate.Held) <= gate.Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref gate.Held);
        return false;
    }

    /// <summary>Returns true when the hook was saturated, i.e. left out of claims until now.</summary>
    public bool Leave(long hookId) =>
        _gates.TryGetValue(hookId, out var gate) && Interlocked.Decrement(ref gate.Held) + 1 >= gate.Limit;

    /// <summary>Hooks with as many deliveries in memory as they may send at once.</summary>
    public IReadOnlyCollection<long> Saturated() =>
        _gates.Where(g => Volatile.Read(ref g.Value.Held) >= g.Value.Limit).Select(g => g.Key).ToList();

    /// <summary>
    /// One hook's requests in flight, bounded by a limit that follows the receiver the way TCP follows a
    /// network (additive increase, multiplicative decrease): halved when an attempt gets no answer (a
    /// timeout, a refused or broken connection), one more for each answer, between 1 and the configured
    /// maximum. A receiver that hangs therefore holds one connection, not the maximum, and one that
    /// recovers is back at full speed after as many answers. Hand-written because the runtime's
    /// limiters (SemaphoreSlim, ConcurrencyLimiter) have a fixed size.
    /// </summary>
    public sealed class Gate(int max)
    {
        private readonly Lock _lock = new();
        private readonly Queue<TaskCompletionSource> _waiting = new();
        private readonly int _max = max;
        private int _sending;
        private int _limit = max;

        /// <summary>Deliveries of this hook held in memory, sending or waiting for a slot.</summary>
        public int Held;

        public int Limit => Volatile.Read(ref _limit);

        /// <summary>Waits for a slot under the current limit.</summary>
        public async Task EnterAsync(CancellationToken cancellationToken)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_sending < _limit)
                {
                    _sending++;
                    return;
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(waiter);
            }

            // A waiter cancelled first is skipped when its turn comes (TrySetResult fails), so it takes no slot.
            await using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
            {
                await waiter.Task;
            }
        }

        /// <summary>Gives the slot back; <paramref name="answered"/> says whether the receiver answered (null: not attempted).</summary>
        public void Exit(bool? answered)
        {
            lock (_lock)
            {
                _sending--;
                _limit = answered switch
                {
                    true => Math.Min(_max, _limit + 1),
                    false => Math.Max(1, _limit / 2),
                    null => _limit,
                };
                while (_sending < _limit && _waiting.TryDequeue(out var next))
                {
                    if (next.TrySetResult())
                    {
                        _sending++;
                    }
                }
            }
        }
    }
}
