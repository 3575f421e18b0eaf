using Npgsql;

namespace BuildHooks.Storage.Postgres;

/// <summary>
/// The shared PostgreSQL database: pooled connections from one data source. Writers run side by side
/// (MVCC), so unlike SQLite there is no in-process gate; nodes coordinate through row locks.
/// </summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource)
{
    /// <summary>The channel on which a node tells the others that deliveries are waiting to be claimed.</summary>
    public const string DueChannel = "buildhooks_due";

    /// <summary>Tells every listening node that deliveries may be due; inside a transaction the notice goes out at its commit.</summary>
    internal const string NotifyDueSql = $"SELECT pg_notify('{DueChannel}', '')";

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc cref="NotifyDueSql"/>
    public static Task NotifyDueAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        Pg.ExecuteAsync(connection, null, NotifyDueSql, cancellationToken);

    /// <summary>Runs <paramref name="work"/> inside one transaction.</summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
