using BuildHooks.Core.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BuildHooks.Storage.Schema;

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> e)
    {
        e.HasIndex(d => d.WebhookId).IsUnique();
        // The queue's claim reads only due pending rows; the partial index keeps it small as history grows.
        e.HasIndex(d => d.NextAttemptAtMs).HasFilter("status = 'pending'").HasDatabaseName("ix_deliveries_due");
        e.HasIndex(d => d.LeaseOwner).HasFilter("lease_owner IS NOT NULL");
        e.HasIndex(d => new { d.HookId, d.Id });
        e.HasIndex(d => d.BuildId);
        e.HasOne<Hook>().WithMany().HasForeignKey(d => d.HookId).OnDelete(DeleteBehavior.Cascade);
        e.Property(d => d.Kind).HasConversion(new LowerCaseEnum<DeliveryKind>());
        e.Property(d => d.Status).HasConversion(new LowerCaseEnum<DeliveryStatus>());
    }
}
