using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class StripePaceRecordConfiguration : IEntityTypeConfiguration<StripePaceRecord>
{
    public void Configure(EntityTypeBuilder<StripePaceRecord> builder)
    {
        builder.ToTable("stripe_pace");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.DueAtMicroseconds).HasColumnName("due_at_us");
        builder.HasData(new StripePaceRecord { Id = 1, DueAtMicroseconds = 0 });
    }
}
