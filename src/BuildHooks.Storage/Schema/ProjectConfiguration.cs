using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildHooks.Storage.Schema;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> e)
    {
        e.HasIndex(p => p.Key).IsUnique();
        e.HasIndex(p => p.ReportTokenHash).IsUnique();
        e.OwnsOne(p => p.Repository);
        e.Property(p => p.CreatedAt);
    }
}
