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
        builder.Property(a => a.BillingCurrency).HasColumnName("billing_currency").HasMaxLength(3);
        builder.Property(a => a.FirstPaidAt).HasColumnName("first_paid_at");
        builder.Property(a => a.DeletedStripeCustomerId).HasColumnName("deleted_stripe_customer_id").HasMaxLength(255);
        builder.Property(a => a.LatestInvoiceTotal).HasColumnName("latest_invoice_total");
        builder.Property(a => a.LatestInvoiceTax).HasColumnName("latest_invoice_tax");
        builder.Property(a => a.LatestInvoiceId).HasColumnName("latest_invoice_id").HasMaxLength(255);
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
        builder.OwnsOne(a => a.OpenInvoice, invoice =>
        {
            invoice.Property(i => i.InvoiceId).HasColumnName("open_invoice_id").HasMaxLength(255);
            invoice.Property(i => i.HostedUrl).HasColumnName("open_invoice_url").HasMaxLength(2048);
            invoice.Property(i => i.NextPaymentAttempt).HasColumnName("open_invoice_next_attempt_at");
            invoice.Property(i => i.CreatedAt).HasColumnName("open_invoice_created_at");
        });
        builder.Navigation(a => a.OpenInvoice).IsRequired(false);
        builder.Property(a => a.TrialEnd).HasColumnName("trial_end");
        builder.OwnsOne(a => a.Discount, discount =>
        {
            discount.Property(d => d.CouponId).HasColumnName("discount_coupon_id").HasMaxLength(255);
            discount.Property(d => d.Name).HasColumnName("discount_name").HasMaxLength(255);
            discount.Property(d => d.PromotionCode).HasColumnName("discount_promotion_code").HasMaxLength(255);
            discount.Property(d => d.PercentOff).HasColumnName("discount_percent_off").HasPrecision(5, 2);
            discount.Property(d => d.AmountOff).HasColumnName("discount_amount_off");
            discount.Property(d => d.Duration).HasColumnName("discount_duration").HasMaxLength(16).HasConversion(d => d.Code(), code => DiscountDurationCodes.Parse(code));
            discount.Property(d => d.EndsAt).HasColumnName("discount_ends_at");
            discount.Property(d => d.DiscountId).HasColumnName("discount_id").HasMaxLength(255);
        });
        builder.Navigation(a => a.Discount).IsRequired(false);
        builder.Property(a => a.FreeTrialUsed).HasColumnName("free_trial_used");
        builder.Property(a => a.InvoicesBackfilledAt).HasColumnName("invoices_backfilled_at");
        builder.Property(a => a.DisputedSince).HasColumnName("disputed_since");
        builder.Property(a => a.AuthenticationInvoiceId).HasColumnName("authentication_invoice_id").HasMaxLength(255);
        builder.Property(a => a.Seats).HasColumnName("seats");
        builder.Property(a => a.StripeScheduleId).HasColumnName("stripe_schedule_id").HasMaxLength(255);
        builder.OwnsOne(a => a.ScheduledChange, change =>
        {
            change.Property(c => c.ScheduleId).HasColumnName("scheduled_change_schedule_id").HasMaxLength(255);
            change.Property(c => c.Tier).HasColumnName("scheduled_change_tier").HasConversion<string>().HasMaxLength(32);
            change.Property(c => c.Cycle).HasColumnName("scheduled_change_cycle").HasConversion<string>().HasMaxLength(16);
            change.Property(c => c.EffectiveAt).HasColumnName("scheduled_change_effective_at");
        });
        builder.Navigation(a => a.ScheduledChange).IsRequired(false);
        builder.Property(a => a.ScheduleReportedAt).HasColumnName("schedule_reported_at");
        builder.Property(a => a.CustomerBalance).HasColumnName("customer_balance");
        builder.Property(a => a.CustomerBalanceReportedAt).HasColumnName("customer_balance_reported_at");
        builder.Property(a => a.PendingPaymentSessionId).HasColumnName("pending_payment_session_id").HasMaxLength(255);
        builder.Property(a => a.PaymentPendingSince).HasColumnName("payment_pending_since");
        builder.Property(a => a.SettledPaymentSessionId).HasColumnName("settled_payment_session_id").HasMaxLength(255);
        builder.Property(a => a.FailedDebitSubscriptionId).HasColumnName("failed_debit_subscription_id").HasMaxLength(255);
        builder.Property(a => a.PaymentProcessingSince).HasColumnName("payment_processing_since");
        builder.Property(a => a.PaymentSettledAt).HasColumnName("payment_settled_at");
        builder.Ignore(a => a.PaymentProcessing);
        builder.Ignore(a => a.AwaitsFirstPayment);
        builder.Ignore(a => a.CreditAvailable);
        builder.Ignore(a => a.OrganizationId);
        builder.Ignore(a => a.PendingEvents);
        builder.HasIndex(a => a.StripeCustomerId).IsUnique();
        builder.HasIndex(a => a.StripeSubscriptionId);
    }
}
