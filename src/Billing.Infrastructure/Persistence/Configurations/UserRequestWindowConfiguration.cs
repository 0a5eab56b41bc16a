using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Infrastructure.Persistence.Configurations;

internal sealed class UserRequestWindowConfiguration : IEntityTypeConfiguration<UserRequestWindow>
{
    public void Configure(EntityTypeBuilder<UserRequestWindow> builder)
    {
        builder.ToTable("user_request_windows");
        builder.HasKey(w => new { w.UserId, w.WindowStart });
        builder.Property(w => w.UserId).HasColumnName("user_id").HasMaxLength(128);
        builder.Property(w => w.WindowStart).HasColumnName("window_start");
        builder.Property(w => w.Count).HasColumnName("count");
    }
}
