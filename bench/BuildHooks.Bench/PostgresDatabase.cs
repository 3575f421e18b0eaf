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

    /// <remarks>
    /// A backend the bench role may not end (autovacuum, or the stopped sender's last connection still
    /// closing) refuses the forced drop for a moment, so it is retried; a database left behind after
    /// that is reported, never allowed to throw away the measurements already taken.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_admin);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt == 20)
                {
                    Console.Error.WriteLine($"warning: could not drop {_name} ({e.MessageText}); drop it by hand");
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
