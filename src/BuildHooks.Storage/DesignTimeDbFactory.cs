using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BuildHooks.Storage;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the server.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<BuildHooksDb>
{
    public BuildHooksDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BuildHooksDb>();
        StorageRegistration.Configure(options, "Data Source=design.db");
        return new BuildHooksDb(options.Options);
    }
}
