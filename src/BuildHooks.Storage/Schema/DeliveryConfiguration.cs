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
        // It also carries what the claim filters on (hook, lease), so skipping a busy or dead hook's backlog
        // reads index entries only, never the rows with their payloads (bench --isolation: a third of the
        // server's CPU had gone to reading those pages). PostgreSQL keeps the key alone (PostgresBuildHooksDb).
        e.HasIndex(d => new { d.NextAttemptAtMs, d.HookId, d.LeaseOwner, d.LeaseUntilMs })
            .HasFilter("status = 'pending'").HasDatabaseName("ix_deliveries_due");
        e.HasIndex(d => d.LeaseOwner).HasFilter("lease_owner IS NOT NULL");
        e.HasIndex(d => new { d.HookId, d.Id });
        e.HasIndex(d => d.BuildId);
        e.HasOne<Hook>().WithMany().HasForeignKey(d => d.HookId).OnDelete(DeleteBehavior.Cascade);
        e.Property(d => d.Kind).HasConversion(new LowerCaseEnum<DeliveryKind>());
        e.Property(d => d.Status).HasConversion(new LowerCaseEnum<DeliveryStatus>());
    }
}
