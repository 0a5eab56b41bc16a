using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

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
