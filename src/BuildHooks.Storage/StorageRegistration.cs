using BuildHooks.Storage.Builds;
using BuildHooks.Storage.Hooks;
using BuildHooks.Storage.Postgres;
using BuildHooks.Storage.Queue;
using BuildHooks.Storage.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BuildHooks.Storage;

public static class StorageRegistration
{
    /// <summary>Registers the database <paramref name="settings"/> name: an embedded SQLite file or a shared PostgreSQL database.</summary>
    public static IServiceCollection AddBuildHooksStorage(this IServiceCollection services, DatabaseSettings settings) =>
        settings.Provider == DatabaseProvider.Postgres
            ? services.AddBuildHooksPostgres(settings.ConnectionString!)
            : services.AddBuildHooksStorage(settings.SqlitePath);

    /// <summary>Registers the SQLite database file at <paramref name="databasePath"/>, EF Core and the delivery queue.</summary>
    public static IServiceCollection AddBuildHooksStorage(this IServiceCollection services, string databasePath)
    {
        var connectionString = $"Data Source={databasePath};Pooling=True;Foreign Keys=True";
        var gate = WriteGate.Serial();
        // Through a factory so the container disposes it, closing the writer connection and the checkpointer on stop.
        services.AddSingleton(_ => new SqliteDatabase(connectionString, gate));
        services.AddSingleton(gate);
        services.AddDbContextPool<BuildHooksDb>(options => Configure(options, connectionString));
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<IDeliveryQueue>(sp => sp.GetRequiredService<DeliveryQueue>());
        services.AddSingleton<IBuildWriter, SqliteBuildWriter>();
        services.AddSingleton<IDeliveryPruner, DeliveryPruner>();
        services.AddSingleton<IDueNotifications, NoDueNotifications>();
        services.AddSingleton<PlainSecrets>();
        services.AddSingleton<QueueDepth>();
        return services;
    }

    /// <summary>Registers a PostgreSQL database shared by any number of nodes.</summary>
    public static IServiceCollection AddBuildHooksPostgres(this IServiceCollection services, string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The hot-path statements are few and repeated: prepared once per connection, parsed never again.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        var dataSource = builder.Build();
        // Registered through a factory so the container disposes it, closing its pooled connections on stop.
        services.AddSingleton(_ => dataSource);
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(WriteGate.Open());
        services.AddDbContextPool<BuildHooksDb, PostgresBuildHooksDb>(options => ConfigurePostgres(options, dataSource));
        services.AddSingleton<IDeliveryQueue, PostgresDeliveryQueue>();
        services.AddSingleton<IBuildWriter, PostgresBuildWriter>();
        // Real time: how long a contended project is read afresh is a matter of load, not of the delivery clock.
        services.AddSingleton(new PostgresIngestMemory(TimeProvider.System));
        services.AddSingleton<IDeliveryPruner, PostgresDeliveryPruner>();
        services.AddSingleton<IDueNotifications, PostgresDueNotifications>();
        services.AddSingleton<PlainSecrets>();
        services.AddSingleton<QueueDepth>();
        return services;
    }

    internal static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(new SqlitePragmaInterceptor());

    internal static void ConfigurePostgres(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource).UseSnakeCaseNamingConvention();

    internal static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();

    /// <summary>Creates or upgrades the schema; on SQLite WAL is a property of the file, so it is set once here.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        // EF Core's own lock on PostgreSQL is taken per migration, after the pending list was read: nodes started
        // together on an empty database each applied the first migration and all but one died ("function
        // buildhooks_expect already exists"). A session advisory lock held over the whole run makes them take turns;
        // the ones that waited then find nothing pending. It goes with the connection if the process dies.
        await using var lockConnection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            if (await HistoryMissingAsync(db, cancellationToken))
            {
                // Npgsql reads the migration history before creating it and logs the read's failure as an error
                // (npgsql/efcore.pg#3407). On an empty database that failure is expected: this first migration runs with
                // command errors logged at Debug. Any other failure still throws, and stops the start with its message.
                await using var quiet = new PostgresBuildHooksDb(QuietMigrationOptions(services));
                await quiet.Database.MigrateAsync(cancellationToken);
                return;
            }

            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The advisory lock nodes take turns on while migrating: "BHMIGRAT" in ASCII, unlikely to meet another application's.</summary>
    private const long MigrationLockKey = 0x42484D4947524154;

    private static async Task<bool> HistoryMissingAsync(BuildHooksDb db, CancellationToken cancellationToken) =>
        // to_regclass resolves the name on the search_path, as EF Core's unqualified read of the history does.
        await db.Database.SqlQueryRaw<bool>("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NULL AS \"Value\"").SingleAsync(cancellationToken);

    private static DbContextOptions<PostgresBuildHooksDb> QuietMigrationOptions(IServiceProvider services)
    {
        var options = new DbContextOptionsBuilder<PostgresBuildHooksDb>();
        ConfigurePostgres(options, services.GetRequiredService<NpgsqlDataSource>());
        options.UseApplicationServiceProvider(services)
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug)));
        return options.Options;
    }
}
