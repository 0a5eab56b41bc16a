using Billing.Domain.Invoices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class BillingInvoiceConfiguration : IEntityTypeConfiguration<BillingInvoice>
{
    public void Configure(EntityTypeBuilder<BillingInvoice> builder)
    {
        builder.ToTable("invoices");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasColumnName("id").HasMaxLength(255);
        builder.Property(i => i.CustomerId).HasColumnName("customer_id").HasMaxLength(255);
        builder.Property(i => i.SubscriptionId).HasColumnName("subscription_id").HasMaxLength(255);
        builder.Property(i => i.Number).HasColumnName("number").HasMaxLength(64);
        builder.Property(i => i.Status).HasColumnName("status").HasMaxLength(32).HasConversion(s => s.Code(), code => InvoiceStatusCodes.Parse(code));
        builder.Property(i => i.Currency).HasColumnName("currency").HasMaxLength(3);
        builder.Property(i => i.Total).HasColumnName("total");
        builder.Property(i => i.Tax).HasColumnName("tax");
        builder.Property(i => i.BalanceApplied).HasColumnName("balance_applied");
        builder.Property(i => i.AmountPaid).HasColumnName("amount_paid");
        builder.Property(i => i.AmountDue).HasColumnName("amount_due");
        builder.Property(i => i.AmountRefunded).HasColumnName("amount_refunded");
        builder.Property(i => i.PeriodStart).HasColumnName("period_start");
        builder.Property(i => i.PeriodEnd).HasColumnName("period_end");
        builder.Property(i => i.Created).HasColumnName("created");
        builder.Property(i => i.HostedInvoiceUrl).HasColumnName("hosted_invoice_url").HasMaxLength(2048);
        builder.Property(i => i.InvoicePdf).HasColumnName("invoice_pdf").HasMaxLength(2048);
        builder.Property(i => i.NextPaymentAttempt).HasColumnName("next_payment_attempt");
        builder.Property(i => i.PaymentIntentId).HasColumnName("payment_intent_id").HasMaxLength(255);
        builder.Ignore(i => i.Refundable);
        builder.HasIndex(i => new { i.CustomerId, i.Created });
        builder.HasIndex(i => i.PaymentIntentId);
    }
}
