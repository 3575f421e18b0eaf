using System.Collections.Concurrent;

namespace BuildHooks.Delivery.Dispatching;

/// <summary>
/// Tells whoever watches a hook (the live delivery log) that its deliveries changed in this process: a delivery
/// was created, an attempt written, a delivery queued again. Watchers then read the database; the signal carries
/// nothing but "look now", so a missed detail cannot make a page wrong, only late until its next look.
/// </summary>
public sealed class HookActivity
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _next = new();

    /// <summary>
    /// Completes at the next <see cref="Touch"/> of the hook. Take it before reading the database, so a change
    /// made between the read and the wait still wakes the watcher.
    /// </summary>
    public Task NextChangeAsync(long hookId) =>
        _next.GetOrAdd(hookId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes the hook's watchers; free when nobody watches it.</summary>
    public void Touch(long hookId)
    {
        if (_next.TryRemove(hookId, out var waiters))
        {
            waiters.TrySetResult();
        }
    }
}
