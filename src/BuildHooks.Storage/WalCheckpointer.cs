using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on its own connection, woken by commits
/// rather than on a timer. A PASSIVE checkpoint never blocks the writer, so no report or attempt waits for it;
/// with SQLite's automatic checkpoint the commit that crossed 1,000 pages paid for all of them.
/// Under sustained writes PASSIVE never quite catches up (frames land while it copies), so SQLite never starts the
/// log over and the file grows for as long as the load lasts (428 MB after a minute of the ingest bench). So once
/// it is longer than <see cref="TruncateAtBytes"/>, the checkpointer finishes the copy while holding the write gate,
/// and the next write starts the log over, cut back to that length (the writer's <c>journal_size_limit</c>).
/// </summary>
public sealed class WalCheckpointer(string connectionString, WriteGate gate, long truncateAtBytes) : IAsyncDisposable
{
    /// <summary>Commits between checkpoints.</summary>
    public const int CommitsPerCheckpoint = 200;

    /// <summary>The log's length at which it is started over between two writes.</summary>
    public const long TruncateAtBytes = 64 * 1024 * 1024;

    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private int _commits;
    private Task? _loop;

    /// <summary>Counts a commit; every <see cref="CommitsPerCheckpoint"/>th wakes the background checkpoint.</summary>
    public void Committed()
    {
        if (Interlocked.Increment(ref _commits) % CommitsPerCheckpoint != 0)
        {
            return;
        }

        // Its own thread: a busy thread pool must not leave the log growing while this waits for a turn.
        _loop ??= Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
        try
        {
            _due.Release();
        }
        catch (SemaphoreFullException)
        {
            // A checkpoint is already due; it will cover these commits too.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is { } loop)
        {
            await loop;
        }

        _stop.Dispose();
        _due.Dispose();
    }

    private void Run()
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            var log = connection.DataSource + "-wal";
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            while (true)
            {
                _due.Wait(_stop.Token);
                try
                {
                    checkpoint.ExecuteNonQuery();
                    // The file's length, not the log's frame count: the file stays at the limit once it got there, so from then on
                    // the log starts over about every CommitsPerCheckpoint commits and stays short. Waiting for the frame count to
                    // reach the limit again measured worse on the 60,000-build ingest bench (p99 42-60 against 37-38 ms, max ~100 ms).
                    if (new FileInfo(log) is { Exists: true } file && file.Length >= truncateAtBytes)
                    {
                        // With no write under way PASSIVE copies the last few frames and catches up; it never waits for
                        // readers (TRUNCATE did, and put 60 ms on the ingest bench's p99). The next write then starts the
                        // log over, unless a reader is still on it: then the next wake-up tries again.
                        gate.RunAsync(() => Task.FromResult(checkpoint.ExecuteNonQuery()), _stop.Token).GetAwaiter().GetResult();
                    }
                }
                catch (SqliteException)
                {
                    // Busy or interrupted: the next wake-up tries again, and the log is only longer meanwhile.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}
