using Billing.Domain.Common;
using Billing.Domain.Invoices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class InvoiceRefundConfiguration : IEntityTypeConfiguration<InvoiceRefund>
{
    public void Configure(EntityTypeBuilder<InvoiceRefund> builder)
    {
        builder.ToTable("invoice_refunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").HasMaxLength(255);
        builder.Property(r => r.InvoiceId).HasColumnName("invoice_id").HasMaxLength(255);
        builder.Property(r => r.Amount).HasColumnName("amount");
        builder.Property(r => r.Currency).HasColumnName("currency").HasMaxLength(3);
        builder.Property(r => r.Reason).HasColumnName("reason").HasMaxLength(64);
        builder.Property(r => r.Status).HasColumnName("status").HasMaxLength(32).HasConversion(s => s.Code(), code => StateCodes.ParseRefund(code));
        builder.Property(r => r.Created).HasColumnName("created");
        builder.Ignore(r => r.Counts);
        builder.HasIndex(r => r.InvoiceId);
    }
}
