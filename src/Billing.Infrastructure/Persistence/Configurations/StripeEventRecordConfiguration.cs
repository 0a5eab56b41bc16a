using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class StripeEventRecordConfiguration : IEntityTypeConfiguration<StripeEventRecord>
{
    public void Configure(EntityTypeBuilder<StripeEventRecord> builder)
    {
        builder.ToTable("stripe_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").HasMaxLength(255);
        builder.Property(e => e.Type).HasColumnName("type").HasMaxLength(128);
        builder.Property(e => e.ApiVersion).HasColumnName("api_version").HasMaxLength(64);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.ReceivedAt).HasColumnName("received_at");
        builder.Property(e => e.Payload).HasColumnName("payload");
        builder.Property(e => e.OrderingKey).HasColumnName("ordering_key").HasMaxLength(255);
        // Status and claim are concurrency tokens: a worker whose lease was taken over cannot commit its result.
        builder.Property(e => e.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        builder.Property(e => e.Attempts).HasColumnName("attempts");
        builder.Property(e => e.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(e => e.LockedUntil).HasColumnName("locked_until");
        builder.Property(e => e.LockedBy).HasColumnName("locked_by").HasMaxLength(128).IsConcurrencyToken();
        builder.Property(e => e.LastError).HasColumnName("last_error").HasMaxLength(Sql.MaxErrorLength);
        builder.Property(e => e.ProcessedAt).HasColumnName("processed_at");
        builder.Property(e => e.Outcome).HasColumnName("outcome").HasMaxLength(500);
        builder.HasIndex(e => new { e.Status, e.NextAttemptAt });

        // The claims in flight, a handful of rows, by lane: the claim's "is this lane held" probe, and the heartbeat
        // that renews a worker's leases (a scan of the table otherwise). A released claim leaves it (null again).
        builder.HasIndex(e => new { e.OrderingKey, e.LockedUntil }).HasFilter("locked_until IS NOT NULL");
        builder.HasIndex(e => new { e.OrderingKey, e.Status });

        // The claim walks pending events oldest first and stops at its batch (see WebhookInbox.ClaimDueAsync).
        builder.HasIndex(e => new { e.Status, e.ReceivedAt });
    }
}
