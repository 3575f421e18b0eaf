using System.Diagnostics;

namespace BuildHooks.Storage;

/// <summary>
/// Serialises this process's write transactions where the database has a single writer (SQLite): waiting
/// here is cheaper and fairer than spinning in SQLite's busy handler. PostgreSQL's MVCC lets writers run
/// side by side, so there the gate lets everyone through.
/// Report ingest is <em>urgent</em>: a build's deliveries cannot leave before its transaction commits, while
/// attempt records, claims and pruning only trail work already under way. So an urgent writer goes ahead of
/// waiting others, but turns alternate while both kinds wait, so neither can starve the other.
/// (Hand-written because SemaphoreSlim has one queue and no notion of priority.)
/// </summary>
public sealed class WriteGate
{
    private readonly object? _sync;
    private readonly Queue<TaskCompletionSource> _urgent = new();
    private readonly Queue<TaskCompletionSource> _others = new();
    private bool _held;
    private bool _lastWasUrgent;
    private long _busyTicks;

    private WriteGate(bool serial) => _sync = serial ? new object() : null;

    /// <summary>One writer at a time (SQLite).</summary>
    public static WriteGate Serial() => new(serial: true);

    /// <summary>No gate (PostgreSQL).</summary>
    public static WriteGate Open() => new(serial: false);

    /// <summary>Whether writers take turns here (SQLite).</summary>
    public bool IsSerial => _sync is not null;

    /// <summary>How long the gate has been held in all, since start; its share of the time is how busy the one writer is.</summary>
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _busyTicks));

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken, bool urgent = false)
    {
        if (_sync is null)
        {
            return await work();
        }

        await EnterAsync(urgent, cancellationToken);
        var entered = Stopwatch.GetTimestamp();
        try
        {
            return await work();
        }
        finally
        {
            // Only the holder writes it, so a plain add would do; Interlocked keeps readers from seeing a torn value.
            Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - entered);
            Leave();
        }
    }

    private async Task EnterAsync(bool urgent, CancellationToken cancellationToken)
    {
        TaskCompletionSource turn;
        lock (_sync!)
        {
            if (!_held)
            {
                _held = true;
                _lastWasUrgent = urgent;
                return;
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (urgent ? _urgent : _others).Enqueue(turn);
        }

        // A cancelled waiter's turn is skipped by Leave (its TrySetResult fails), so no turn is ever lost.
        await using (cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken)))
        {
            await turn.Task;
        }
    }

    private void Leave()
    {
        lock (_sync!)
        {
            while (true)
            {
                // Urgent first, unless the last turn was urgent and others are waiting.
                var preferUrgent = !_lastWasUrgent || _others.Count == 0;
                var queue = preferUrgent ? (_urgent.Count > 0 ? _urgent : _others) : _others;
                if (!queue.TryDequeue(out var next))
                {
                    _held = false;
                    return;
                }

                // A waiter cancelled meanwhile is skipped; its turn goes to the next.
                if (next.TrySetResult())
                {
                    _lastWasUrgent = queue == _urgent;
                    return;
                }
            }
        }
    }
}
