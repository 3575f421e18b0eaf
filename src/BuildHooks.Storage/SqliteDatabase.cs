using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage;

/// <summary>
/// The embedded SQLite file: opens tuned connections from the pool and serialises writers.
/// SQLite allows one writer at a time; queueing writers on an async gate in-process is cheaper
/// and fairer than letting them spin in SQLite's busy handler. Behind the gate the hot-path writes share
/// one long-lived connection, so their prepared statements (see <see cref="Sql.Prepare"/>) are parsed once
/// per process rather than once per transaction; a checkpointer copies the log into the file off that path.
/// </summary>
public sealed class SqliteDatabase(string connectionString, WriteGate gate, long truncateLogAtBytes = WalCheckpointer.TruncateAtBytes) : IAsyncDisposable
{
    /// <summary>Per-connection settings: WAL makes readers never block the writer; NORMAL sync is durable across process crashes.</summary>
    public const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";

    private SqliteConnection? _writer;

    public string ConnectionString { get; } = connectionString;

    /// <summary>Shared with EF Core's writes (see <see cref="WriteTransactions"/>).</summary>
    public WriteGate Gate { get; } = gate;

    /// <summary>Woken after commits so the log is copied into the database file in the background.</summary>
    public WalCheckpointer Checkpointer { get; } = new(connectionString, gate, truncateLogAtBytes);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// The hot path's writer: no automatic checkpoints on it, because one would stall whichever commit crossed the
    /// threshold; it counts its commits for the <see cref="WalCheckpointer"/> instead. EF Core's writes, off the hot
    /// path and not counted, keep SQLite's automatic checkpoints, so the log stays bounded whichever kind writes.
    /// </summary>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // When the log starts over (see WalCheckpointer), the file is cut back to this length, not less: writing into a
        // file of that size is cheaper than extending it again (cut to half, the ingest bench's p99 went from 26-38 to
        // 58-66 ms, three runs each, and its rate from 4,350-5,560 to 3,460-4,490 builds/s).
        command.CommandText = $"PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={truncateLogAtBytes};";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> inside one write transaction, after the writers before it (see <see cref="WriteGate"/> for <paramref name="urgent"/>).</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken, bool urgent = false) =>
        Gate.RunAsync(async () =>
        {
            var connection = _writer ??= await OpenWriterAsync(cancellationToken);
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                Checkpointer.Committed();
                return result;
            }
            catch
            {
                // A connection that failed mid-transaction (full disk, I/O error) is not trusted again.
                _writer = null;
                await connection.DisposeAsync();
                throw;
            }
        }, cancellationToken, urgent);

    public async ValueTask DisposeAsync()
    {
        if (_writer is { } writer)
        {
            await writer.DisposeAsync();
        }

        await Checkpointer.DisposeAsync();
    }
}
