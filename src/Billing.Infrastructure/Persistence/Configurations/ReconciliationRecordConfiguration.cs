using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class ReconciliationRecordConfiguration : IEntityTypeConfiguration<ReconciliationRecord>
{
    public void Configure(EntityTypeBuilder<ReconciliationRecord> builder)
    {
        builder.ToTable("reconciliation_reports");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(r => r.FinishedAt).HasColumnName("finished_at");
        builder.Property(r => r.Trigger).HasColumnName("trigger").HasMaxLength(128);
        builder.Property(r => r.DryRun).HasColumnName("dry_run");
        builder.Property(r => r.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(r => r.Report).HasColumnName("report");
        builder.HasIndex(r => r.FinishedAt);
    }
}
