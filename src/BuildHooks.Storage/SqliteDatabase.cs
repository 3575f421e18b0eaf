using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage;

/// <summary>
/// The embedded SQLite file: opens tuned connections from the pool and serialises writers.
/// SQLite allows one writer at a time; queueing writers on an async gate in-process is cheaper
/// and fairer than letting them spin in SQLite's busy handler.
/// </summary>
public sealed class SqliteDatabase(string connectionString, WriteGate gate)
{
    /// <summary>Per-connection settings: WAL makes readers never block the writer; NORMAL sync is durable across process crashes.</summary>
    public const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";

    public string ConnectionString { get; } = connectionString;

    /// <summary>Shared with EF Core's writes (see <see cref="WriteTransactions"/>).</summary>
    public WriteGate Gate { get; } = gate;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> inside one write transaction, after the writers before it.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        Gate.RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);
}
