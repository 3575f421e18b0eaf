namespace BuildHooks.Server.Services;

/// <summary>
/// One report at a time per project and Idempotency-Key in this process, so two requests with one key (a client retrying
/// while its first request is still in flight) cannot both find no build and both record one. Across nodes the intake
/// asks for the key under the project's row lock instead (see <c>BuildIntake</c>); the unique index is the last guard.
/// (Hand-written: none of the packages served here is a keyed async lock, and this one is a semaphore per key in use.)
/// </summary>
public sealed class ReportKeyLocks
{
    private readonly Dictionary<(long Project, string Key), Entry> _entries = [];

    public async Task<IDisposable> TakeAsync(long projectId, string key, CancellationToken cancellationToken)
    {
        var name = (projectId, key);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(name, out entry!))
            {
                _entries[name] = entry = new Entry();
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(name, entry, held: false);
            throw;
        }

        return new Held(this, name, entry);
    }

    private void Leave((long, string) name, Entry entry, bool held)
    {
        lock (_entries)
        {
            // The last one out removes the entry, so keys do not pile up in memory.
            if (--entry.Users == 0)
            {
                _entries.Remove(name);
            }
        }

        if (held)
        {
            entry.Gate.Release();
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Held(ReportKeyLocks locks, (long, string) name, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                locks.Leave(name, entry, held: true);
            }
        }
    }
}
