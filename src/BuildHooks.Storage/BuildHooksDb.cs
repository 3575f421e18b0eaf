using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Storage;

/// <summary>
/// The database: projects, hooks, builds and their artifacts, the delivery queue with its attempt log, request bins, and
/// the web interface's sessions.
/// This type carries the SQLite migrations; <see cref="Postgres.PostgresBuildHooksDb"/> carries PostgreSQL's.
/// </summary>
public class BuildHooksDb : DbContext
{
    public BuildHooksDb(DbContextOptions<BuildHooksDb> options)
        : base(options)
    {
    }

    protected BuildHooksDb(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Hook> Hooks => Set<Hook>();
    public DbSet<Build> Builds => Set<Build>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<Attempt> Attempts => Set<Attempt>();
    public DbSet<Artifact> Artifacts => Set<Artifact>();
    public DbSet<Bin> Bins => Set<Bin>();
    public DbSet<BinRequest> BinRequests => Set<BinRequest>();
    public DbSet<Sessions.WebSession> WebSessions => Set<Sessions.WebSession>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(BuildHooksDb).Assembly);
}
