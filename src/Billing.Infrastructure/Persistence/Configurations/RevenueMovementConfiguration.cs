using Billing.Domain.Revenue;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class RevenueMovementConfiguration : IEntityTypeConfiguration<RevenueMovement>
{
    public void Configure(EntityTypeBuilder<RevenueMovement> builder)
    {
        builder.ToTable("revenue_movements");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(m => m.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(m => m.OccurredAt).HasColumnName("occurred_at");
        builder.Property(m => m.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.Currency).HasColumnName("currency").HasMaxLength(3);
        builder.Property(m => m.StatusBefore).HasColumnName("status_before").HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.StatusAfter).HasColumnName("status_after").HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.RunRateBefore).HasColumnName("run_rate_before");
        builder.Property(m => m.RunRateAfter).HasColumnName("run_rate_after");
        builder.Ignore(m => m.CountedDelta);
        builder.HasIndex(m => new { m.Currency, m.OccurredAt });
        builder.HasIndex(m => m.UserId);
    }
}
