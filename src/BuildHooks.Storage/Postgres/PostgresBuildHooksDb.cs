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
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // PostgreSQL cannot test the claim's hook and lease conditions inside a plain index scan (it
        // checks them on the row either way), so the due index keeps only its key here: the wider
        // SQLite one would cost every insert and lease update for nothing.
        var deliveries = modelBuilder.Entity<BuildHooks.Core.Model.Delivery>();
        deliveries.Metadata.RemoveIndex(deliveries.Metadata.GetIndexes().Single(i => i.GetDatabaseName() == DueIndex));
        deliveries.HasIndex(d => d.NextAttemptAtMs).HasFilter("status = 'pending'").HasDatabaseName(DueIndex);

        // No foreign keys from a delivery to its hook or from an attempt to its delivery: each checked row took a
        // lock on its parent and a trigger call, a fifth of PostgreSQL's CPU per delivery in a pgbench of the
        // delivery path. Deleting a hook or a delivery still removes what hangs off it, by the triggers of the
        // migration LooseDeliveryKeys, which also keep a batch of reports from adding deliveries to a hook being deleted.
        deliveries.Metadata.RemoveForeignKey(deliveries.Metadata.GetForeignKeys().Single(k => k.PrincipalEntityType.ClrType == typeof(BuildHooks.Core.Model.Hook)));
        var attempts = modelBuilder.Entity<BuildHooks.Core.Model.Attempt>();
        attempts.Metadata.RemoveForeignKey(attempts.Metadata.GetForeignKeys().Single(k => k.PrincipalEntityType.ClrType == typeof(BuildHooks.Core.Model.Delivery)));
    }

    private const string DueIndex = "ix_deliveries_due";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamptz keeps the instant, not the offset, and Npgsql refuses non-UTC offsets rather than guess.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}
