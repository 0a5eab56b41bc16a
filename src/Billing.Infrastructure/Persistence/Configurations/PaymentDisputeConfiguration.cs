using Billing.Domain.Common;
using Billing.Domain.Disputes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class PaymentDisputeConfiguration : IEntityTypeConfiguration<PaymentDispute>
{
    public void Configure(EntityTypeBuilder<PaymentDispute> builder)
    {
        builder.ToTable("disputes");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").HasMaxLength(255);
        builder.Property(d => d.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(d => d.InvoiceId).HasColumnName("invoice_id").HasMaxLength(255);
        builder.Property(d => d.Amount).HasColumnName("amount");
        builder.Property(d => d.Currency).HasColumnName("currency").HasMaxLength(3);
        builder.Property(d => d.Reason).HasColumnName("reason").HasMaxLength(64);
        builder.Property(d => d.Status).HasColumnName("status").HasMaxLength(32).HasConversion(s => s.Code(), code => StateCodes.ParseDispute(code));
        builder.Property(d => d.DueBy).HasColumnName("due_by");
        builder.Property(d => d.Created).HasColumnName("created");
        builder.Property(d => d.ClosedAt).HasColumnName("closed_at");
        builder.Ignore(d => d.IsOpen);
        builder.Ignore(d => d.AgainstUs);
        builder.HasIndex(d => d.UserId);
        builder.HasIndex(d => new { d.ClosedAt, d.Created });
    }
}
