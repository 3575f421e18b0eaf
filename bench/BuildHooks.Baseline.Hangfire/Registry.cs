using System.Collections.Concurrent;

namespace BuildHooks.Baseline.Hangfire;

/// <summary>Projects and their hook URLs, in memory: the baseline measures sending, not bookkeeping.</summary>
public sealed class Registry
{
    private int _next;

    public ConcurrentDictionary<int, ConcurrentBag<string>> Hooks { get; } = new();

    public int AddProject()
    {
        var id = Interlocked.Increment(ref _next);
        Hooks[id] = [];
        return id;
    }
}
