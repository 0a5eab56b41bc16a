using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("admin_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(a => a.At).HasColumnName("at");
        builder.Property(a => a.AdminId).HasColumnName("admin_id").HasMaxLength(128);
        builder.Property(a => a.Action).HasColumnName("action").HasMaxLength(64);
        builder.Property(a => a.Target).HasColumnName("target").HasMaxLength(AuditTrail.MaxTargetLength);
        builder.Property(a => a.Outcome).HasColumnName("outcome").HasMaxLength(64);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.AdminId);
    }
}
