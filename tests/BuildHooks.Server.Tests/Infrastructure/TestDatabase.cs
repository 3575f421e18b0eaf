using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>
/// Which database the servers under test use. By default each gets its own SQLite file; with
/// <c>BUILDHOOKS_TEST_DB=postgres</c> each data directory gets its own fresh PostgreSQL database on the server
/// that <c>BUILDHOOKS_TEST_PG</c> names (dropped when the test run ends), so the same tests run on both.
/// When PostgreSQL is asked for and cannot be reached the tests fail: nothing is skipped.
/// </summary>
public static class TestDatabase
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=buildhooks;Password=buildhooks;Database=postgres";

    private static readonly ConcurrentDictionary<string, string> Created = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim CreateGate = new(1, 1);
    private static int _cleanupRegistered;
    private static int _leftoversDropped;

    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable("BUILDHOOKS_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The server to create test databases on (its maintenance database).</summary>
    public static string ServerConnectionString => Environment.GetEnvironmentVariable("BUILDHOOKS_TEST_PG") is { Length: > 0 } s ? s : DefaultServer;

    /// <summary>The settings that put a server on <paramref name="dataDirectory"/>'s database (none for SQLite: the file lives in the directory).</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(string dataDirectory)
    {
        if (!IsPostgres)
        {
            return [];
        }

        return new Dictionary<string, string?>
        {
            ["BuildHooks:Database:Provider"] = "postgres",
            ["ConnectionStrings:BuildHooks"] = await CreateAsync(NameFor(dataDirectory)),
        };
    }

    /// <summary>Creates (once) the database called <paramref name="name"/> and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string name)
    {
        await CreateGate.WaitAsync();
        try
        {
            if (!Created.TryGetValue(name, out var connectionString))
            {
                await using (var connection = new NpgsqlConnection(ServerConnectionString))
                {
                    await connection.OpenAsync();
                    if (Interlocked.Exchange(ref _leftoversDropped, 1) == 0)
                    {
                        await DropLeftoversAsync(connection);
                    }

                    await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                    await command.ExecuteNonQueryAsync();
                }

                // Many servers run side by side in one test run: a small pool each keeps them within the cluster's connections.
                connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;
                Created[name] = connectionString;
                RegisterCleanup();
            }

            return connectionString;
        }
        finally
        {
            CreateGate.Release();
        }
    }

    /// <summary>An open connection to the database of the server on <paramref name="dataDirectory"/>, for tests that look at rows directly.</summary>
    public static async Task<DbConnection> OpenAsync(string dataDirectory)
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(await CreateAsync(NameFor(dataDirectory)))
            : new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "buildhooks.db")};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs a query returning one number (parameters as <c>@name</c>, which both databases accept).</summary>
    public static async Task<long> ScalarAsync(string dataDirectory, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// One database per data directory, so a test that restarts its server finds its data again. The name
    /// carries this test process's id, so a later run can tell its own databases from a finished run's.
    /// </summary>
    public static string NameFor(string dataDirectory) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..16];

    /// <summary>This run's database names start with this.</summary>
    public static string Prefix => $"buildhooks_test_{Environment.ProcessId}_";

    /// <summary>
    /// Drops the databases of test runs whose process has ended (the test host may be stopped before its
    /// exit handlers finish). Another run still going on this machine keeps its own.
    /// </summary>
    private static async Task DropLeftoversAsync(NpgsqlConnection connection)
    {
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'buildhooks\\_test\\_%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names.Where(n => !IsAliveRun(n)))
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static bool IsAliveRun(string name)
    {
        var parts = name.Split('_');
        if (parts.Length < 4 || !int.TryParse(parts[2], out var pid))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void RegisterCleanup()
    {
        if (Interlocked.Exchange(ref _cleanupRegistered, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAll();
        }
    }

    private static void DropAll()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(ServerConnectionString);
            connection.Open();
            foreach (var name in Created.Keys)
            {
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
            }
        }
        catch (NpgsqlException)
        {
            // The cluster is gone already; nothing is left to drop.
        }
    }
}
