using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class SyncMessageConfiguration : IEntityTypeConfiguration<SyncMessage>
{
    public void Configure(EntityTypeBuilder<SyncMessage> builder)
    {
        builder.ToTable("sync_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasColumnName("id");
        builder.Property(m => m.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(m => m.Target).HasColumnName("target").HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.AccountVersion).HasColumnName("account_version");
        builder.Property(m => m.Payload).HasColumnName("payload");
        builder.Property(m => m.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        builder.Property(m => m.Attempts).HasColumnName("attempts");
        builder.Property(m => m.CreatedAt).HasColumnName("created_at");
        builder.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(m => m.LockedUntil).HasColumnName("locked_until");
        builder.Property(m => m.LockedBy).HasColumnName("locked_by").HasMaxLength(128).IsConcurrencyToken();
        builder.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(Sql.MaxErrorLength);
        builder.Property(m => m.DeliveredAt).HasColumnName("delivered_at");
        builder.Property(m => m.Outcome).HasColumnName("outcome").HasMaxLength(SyncMessage.MaxOutcomeLength);
        builder.Property(m => m.DeduplicationKey).HasColumnName("deduplication_key").HasMaxLength(200);
        builder.HasIndex(m => m.DeduplicationKey).IsUnique();
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });

        // The claims in flight, a handful of rows, for the heartbeat that renews a worker's leases (a scan otherwise).
        builder.HasIndex(m => m.LockedUntil).HasFilter("locked_until IS NOT NULL");
        builder.HasIndex(m => new { m.UserId, m.Target, m.Status });
    }
}
