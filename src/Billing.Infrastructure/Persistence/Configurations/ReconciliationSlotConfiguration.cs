using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class ReconciliationSlotConfiguration : IEntityTypeConfiguration<ReconciliationSlot>
{
    public void Configure(EntityTypeBuilder<ReconciliationSlot> builder)
    {
        builder.ToTable("reconciliation_slots");
        builder.HasKey(r => r.Slot);
        builder.Property(r => r.Slot).HasColumnName("slot").HasMaxLength(64);
    }
}
