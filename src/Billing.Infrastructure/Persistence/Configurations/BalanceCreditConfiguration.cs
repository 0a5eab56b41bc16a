using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class BalanceCreditConfiguration : IEntityTypeConfiguration<BalanceCredit>
{
    public void Configure(EntityTypeBuilder<BalanceCredit> builder)
    {
        builder.ToTable("balance_credits");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(c => c.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(c => c.TransactionId).HasColumnName("transaction_id").HasMaxLength(255);
        builder.Property(c => c.Amount).HasColumnName("amount");
        builder.Property(c => c.Currency).HasColumnName("currency").HasMaxLength(3);
        builder.Property(c => c.Reason).HasColumnName("reason").HasMaxLength(500);
        builder.Property(c => c.GrantedBy).HasColumnName("granted_by").HasMaxLength(128);
        builder.Property(c => c.GrantedAt).HasColumnName("granted_at");
        builder.HasIndex(c => c.TransactionId).IsUnique();
        builder.HasIndex(c => new { c.UserId, c.Id });
    }
}
