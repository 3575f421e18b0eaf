using System.Collections.Concurrent;

namespace BuildHooks.Server.Services.Bins;

/// <summary>
/// Wakes a bin page's live stream when the bin captures a request, so the page updates at once and an idle
/// page costs no queries. In-process only: a stream also looks again every few seconds (see BinEvents), which
/// covers captures taken by another node sharing the database.
/// </summary>
public sealed class BinSignal
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _waiting = new();

    /// <summary>
    /// A task that completes at the next capture of <paramref name="binId"/>. Take it before reading the
    /// database, then await it: a capture committed in between completes it, so nothing is missed.
    /// </summary>
    public Task Next(long binId) =>
        _waiting.GetOrAdd(binId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(long binId)
    {
        if (_waiting.TryRemove(binId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
