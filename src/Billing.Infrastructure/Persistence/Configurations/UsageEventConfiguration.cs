using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class UsageEventConfiguration : IEntityTypeConfiguration<UsageEventRecord>
{
    public void Configure(EntityTypeBuilder<UsageEventRecord> builder)
    {
        builder.ToTable("usage_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(e => e.TransactionId).HasColumnName("transaction_id").HasMaxLength(255);
        builder.Property(e => e.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(e => e.SubscriptionId).HasColumnName("subscription_id").HasMaxLength(255);
        builder.Property(e => e.Code).HasColumnName("code").HasMaxLength(255);
        builder.Property(e => e.Timestamp).HasColumnName("timestamp");
        builder.Property(e => e.Properties).HasColumnName("properties");
        builder.Property(e => e.AcceptedAt).HasColumnName("accepted_at");
        builder.Property(e => e.Status).HasColumnName("status").HasMaxLength(16);
        builder.Property(e => e.Attempts).HasColumnName("attempts");
        builder.Property(e => e.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(e => e.LockedUntil).HasColumnName("locked_until");
        builder.Property(e => e.LockedBy).HasColumnName("locked_by").HasMaxLength(128);
        builder.Property(e => e.DeliveredAt).HasColumnName("delivered_at");
        builder.Property(e => e.LastError).HasColumnName("last_error").HasMaxLength(Sql.MaxErrorLength);
        builder.HasIndex(e => e.TransactionId).IsUnique();
        builder.HasIndex(e => new { e.Status, e.NextAttemptAt });

        // The claims in flight, a handful of rows, for the heartbeat that renews a worker's leases (a scan otherwise).
        builder.HasIndex(e => e.LockedUntil).HasFilter("locked_until IS NOT NULL");
    }
}
