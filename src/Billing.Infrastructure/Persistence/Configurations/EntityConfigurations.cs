using Billing.Application.Common.Messaging;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class BillingAccountConfiguration : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> builder)
    {
        builder.ToTable("billing_accounts");
        builder.HasKey(a => a.UserId);
        builder.Property(a => a.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(a => a.Email).HasColumnName("email").HasMaxLength(BillingAccount.MaxEmailLength);
        builder.Property(a => a.StripeCustomerId).HasColumnName("stripe_customer_id").HasMaxLength(255);
        builder.Property(a => a.StripeSubscriptionId).HasColumnName("stripe_subscription_id").HasMaxLength(255);
        builder.Property(a => a.Tier).HasColumnName("tier").HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.BillingCycle).HasColumnName("billing_cycle").HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.CurrentPeriodStart).HasColumnName("current_period_start");
        builder.Property(a => a.CurrentPeriodEnd).HasColumnName("current_period_end");
        builder.Property(a => a.CancelAtPeriodEnd).HasColumnName("cancel_at_period_end");
        builder.Property(a => a.AmountMinor).HasColumnName("amount_minor");
        builder.Property(a => a.Currency).HasColumnName("currency").HasMaxLength(3);
        builder.Property(a => a.LastStripeEventAt).HasColumnName("last_stripe_event_at");
        builder.Property(a => a.PastDueSince).HasColumnName("past_due_since");
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        builder.Property(a => a.UpdatedAt).HasColumnName("updated_at");
        builder.Property(a => a.Version).HasColumnName("version").IsConcurrencyToken();
        builder.OwnsOne(a => a.OpenCheckout, checkout =>
        {
            checkout.Property(c => c.SessionId).HasColumnName("open_checkout_session_id").HasMaxLength(255);
            checkout.Property(c => c.Tier).HasColumnName("open_checkout_tier").HasConversion<string>().HasMaxLength(32);
            checkout.Property(c => c.Cycle).HasColumnName("open_checkout_cycle").HasConversion<string>().HasMaxLength(16);
            checkout.Property(c => c.Url).HasColumnName("open_checkout_url").HasMaxLength(2048);
            checkout.Property(c => c.ExpiresAt).HasColumnName("open_checkout_expires_at");
        });
        builder.Navigation(a => a.OpenCheckout).IsRequired(false);
        builder.HasIndex(a => a.StripeCustomerId).IsUnique();
        builder.HasIndex(a => a.StripeSubscriptionId);
    }
}

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
    }
}

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
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => new { m.UserId, m.Target, m.Status });
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => new { r.UserId, r.Key });
        builder.Property(r => r.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(r => r.Key).HasColumnName("key").HasMaxLength(255);
        builder.Property(r => r.Operation).HasColumnName("operation").HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasColumnName("request_hash").HasMaxLength(64);
        builder.Property(r => r.StatusCode).HasColumnName("status_code");
        builder.Property(r => r.ResponseBody).HasColumnName("response_body");
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.CompletedAt).HasColumnName("completed_at");
    }
}

internal sealed class AccountHistoryEntryConfiguration : IEntityTypeConfiguration<AccountHistoryEntry>
{
    public void Configure(EntityTypeBuilder<AccountHistoryEntry> builder)
    {
        builder.ToTable("account_history");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(e => e.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.Kind).HasColumnName("kind").HasMaxLength(64);
        builder.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(2000);
        builder.HasIndex(e => new { e.UserId, e.Id });
    }
}
