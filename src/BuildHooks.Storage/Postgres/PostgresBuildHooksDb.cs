using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BuildHooks.Storage.Postgres;

/// <summary>
/// The same model on PostgreSQL. A type of its own so that its migrations (Migrations/Postgres) are kept
/// apart from SQLite's: EF Core picks the migrations whose context type matches exactly.
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
