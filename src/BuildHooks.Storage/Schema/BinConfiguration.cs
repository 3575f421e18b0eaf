using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildHooks.Storage.Schema;

internal sealed class BinConfiguration : IEntityTypeConfiguration<Bin>
{
    public void Configure(EntityTypeBuilder<Bin> e)
    {
        e.HasIndex(b => b.Key).IsUnique();
        e.HasIndex(b => b.ExpiresAtMs);
    }
}

internal sealed class BinRequestConfiguration : IEntityTypeConfiguration<BinRequest>
{
    public void Configure(EntityTypeBuilder<BinRequest> e)
    {
        e.HasIndex(r => new { r.BinId, r.Id });
        e.HasOne<Bin>().WithMany().HasForeignKey(r => r.BinId).OnDelete(DeleteBehavior.Cascade);
        e.Property(r => r.Headers).HasConversion(JsonColumn.Converter<Dictionary<string, string>>(), JsonColumn.Comparer<Dictionary<string, string>>());
    }
}
