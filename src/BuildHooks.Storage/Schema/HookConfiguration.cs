using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildHooks.Storage.Schema;

internal sealed class HookConfiguration : IEntityTypeConfiguration<Hook>
{
    public void Configure(EntityTypeBuilder<Hook> e)
    {
        e.HasIndex(h => h.ProjectId);
        e.HasOne<Project>().WithMany().HasForeignKey(h => h.ProjectId).OnDelete(DeleteBehavior.Cascade);
        e.Property(h => h.Format).HasConversion(new LowerCaseEnum<PayloadFormat>());
        e.Property(h => h.ContentType).HasConversion(new LowerCaseEnum<HookContentType>());
        e.Property(h => h.Triggers).HasConversion(JsonColumn.Converter<List<HookTrigger>>(), JsonColumn.Comparer<List<HookTrigger>>());
        e.Property(h => h.Branches).HasConversion(JsonColumn.Converter<List<string>>(), JsonColumn.Comparer<List<string>>());
        e.Property(h => h.Headers).HasConversion(JsonColumn.Converter<Dictionary<string, string>>(), JsonColumn.Comparer<Dictionary<string, string>>());
    }
}
