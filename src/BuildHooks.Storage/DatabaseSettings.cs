using Npgsql;

namespace BuildHooks.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which database to use: <c>BuildHooks:Database:Provider</c> (<c>sqlite</c>, the default, or <c>postgres</c>) with
/// <c>ConnectionStrings:BuildHooks</c> for PostgreSQL; SQLite keeps its file in the data directory.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string SqlitePath, string? ConnectionString)
{
    public const string ProviderKey = "BuildHooks:Database:Provider";
    public const string ConnectionStringName = "BuildHooks";

    /// <summary>Reads the settings; a misspelt provider or a missing connection string stops the start with a message saying what to set.</summary>
    public static DatabaseSettings Parse(string? provider, string? connectionString, string sqlitePath)
    {
        switch (provider?.Trim().ToLowerInvariant())
        {
            case null or "" or "sqlite":
                return new DatabaseSettings(DatabaseProvider.Sqlite, sqlitePath, null);
            case "postgres" or "postgresql" or "npgsql":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"{ProviderKey} is 'postgres' but ConnectionStrings:{ConnectionStringName} is empty; set it (environment: ConnectionStrings__{ConnectionStringName}), e.g. 'Host=db;Database=buildhooks;Username=buildhooks;Password=...'.");
                }

                try
                {
                    _ = new NpgsqlConnectionStringBuilder(connectionString);
                }
                catch (ArgumentException e)
                {
                    // Npgsql names the keyword it could not read ("Couldn't set hostt"); without this it surfaced as a stack trace.
                    throw new InvalidOperationException(
                        $"ConnectionStrings:{ConnectionStringName} cannot be read: {e.Message.Split(" (Parameter", 2)[0]}. Use Npgsql's form, e.g. 'Host=db;Database=buildhooks;Username=buildhooks;Password=...'.", e);
                }

                return new DatabaseSettings(DatabaseProvider.Postgres, sqlitePath, connectionString);
            default:
                throw new InvalidOperationException($"{ProviderKey} is '{provider}'; use 'sqlite' (the default) or 'postgres'.");
        }
    }
}
