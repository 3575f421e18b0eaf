using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BuildHooks.Storage.Postgres;

/// <summary>
/// The same model on PostgreSQL. A type of its own so that its migrations (Migrations/Postgres) are kept
/// apart from SQLite's: EF Core picks the migrations whose context type matches exactly. A schema change
/// therefore adds two migrations of the same name:
/// <code>
/// dotnet dotnet-ef migrations add Name --context BuildHooksDb --project src/BuildHooks.Storage
/// dotnet dotnet-ef migrations add Name --context PostgresBuildHooksDb -o Migrations/Postgres --namespace BuildHooks.Storage.Migrations.Postgres --project src/BuildHooks.Storage
/// </code>
/// </summary>
public sealed class PostgresBuildHooksDb(DbContextOptions<PostgresBuildHooksDb> options) : BuildHooksDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamptz keeps the instant, not the offset, and Npgsql refuses non-UTC offsets rather than guess.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}
