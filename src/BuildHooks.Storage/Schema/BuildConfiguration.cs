using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildHooks.Storage.Schema;

internal sealed class BuildConfiguration : IEntityTypeConfiguration<Build>
{
    public void Configure(EntityTypeBuilder<Build> e)
    {
        e.HasIndex(b => b.Uuid).IsUnique();
        e.HasIndex(b => new { b.ProjectId, b.Number }).IsUnique();
        // Finding the previous finished build on a branch (fixed / broken triggers).
        e.HasIndex(b => new { b.ProjectId, b.Branch, b.Id });
        // A report's Idempotency-Key names one build of its project; most builds have none, and those cost the index nothing.
        e.HasIndex(b => new { b.ProjectId, b.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        e.HasOne<Project>().WithMany().HasForeignKey(b => b.ProjectId).OnDelete(DeleteBehavior.Cascade);
        e.Property(b => b.Status).HasConversion(new LowerCaseEnum<BuildStatus>());
    }
}
