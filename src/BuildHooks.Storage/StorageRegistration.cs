using BuildHooks.Storage.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BuildHooks.Storage;

public static class StorageRegistration
{
    /// <summary>Registers the SQLite database file at <paramref name="databasePath"/>, EF Core and the delivery queue.</summary>
    public static IServiceCollection AddBuildHooksStorage(this IServiceCollection services, string databasePath)
    {
        var connectionString = $"Data Source={databasePath};Pooling=True;Foreign Keys=True";
        var database = new SqliteDatabase(connectionString);
        services.AddSingleton(database);
        services.AddDbContextPool<BuildHooksDb>(options => Configure(options, connectionString));
        services.AddSingleton<DeliveryQueue>();
        return services;
    }

    internal static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(new SqlitePragmaInterceptor());

    /// <summary>Creates or upgrades the schema; WAL is a property of the file, so it is set once here.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildHooksDb>();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
