using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on its own connection, woken by commits
/// rather than on a timer. A PASSIVE checkpoint never blocks the writer, so no report or attempt waits for it;
/// with SQLite's automatic checkpoint the commit that crossed 1,000 pages paid for all of them.
/// </summary>
public sealed class WalCheckpointer(string connectionString) : IAsyncDisposable
{
    /// <summary>Commits between checkpoints: the log stays around a few MB at the batch sizes ingest produces.</summary>
    public const int CommitsPerCheckpoint = 200;

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

        _loop ??= Task.Run(RunAsync);
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

    private async Task RunAsync()
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(_stop.Token);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA busy_timeout=5000; PRAGMA wal_checkpoint(PASSIVE);";
            while (true)
            {
                await _due.WaitAsync(_stop.Token);
                try
                {
                    await checkpoint.ExecuteNonQueryAsync(_stop.Token);
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
