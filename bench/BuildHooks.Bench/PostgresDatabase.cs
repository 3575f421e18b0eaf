using Npgsql;

namespace BuildHooks.Bench;

/// <summary>A fresh, empty database for one sender's run, dropped afterwards, so runs never see each other's rows.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private PostgresDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync(string adminConnectionString, CancellationToken ct)
    {
        var name = $"buildhooks_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name };
        return new PostgresDatabase(adminConnectionString, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
