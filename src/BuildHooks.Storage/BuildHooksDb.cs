using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Storage;

/// <summary>The database: projects, hooks, builds, and the delivery queue with its attempt log.</summary>
public sealed class BuildHooksDb(DbContextOptions<BuildHooksDb> options) : DbContext(options)
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Hook> Hooks => Set<Hook>();
    public DbSet<Build> Builds => Set<Build>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<Attempt> Attempts => Set<Attempt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(BuildHooksDb).Assembly);
}
