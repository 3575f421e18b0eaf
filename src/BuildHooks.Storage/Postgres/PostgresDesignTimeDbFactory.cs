using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BuildHooks.Storage.Postgres;

/// <summary>Lets `dotnet ef migrations add ... --context PostgresBuildHooksDb` build the model without a server.</summary>
internal sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresBuildHooksDb>
{
    public PostgresBuildHooksDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresBuildHooksDb>();
        StorageRegistration.ConfigurePostgres(options, "Host=localhost;Database=buildhooks_design");
        return new PostgresBuildHooksDb(options.Options);
    }
}
