using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

public sealed class PostgresBillingDbContext(DbContextOptions<PostgresBillingDbContext> options) : BillingDbContext(options)
{
    /// <summary>
    /// The inbox's insertion sequence (an identity column, never written by the service). SQLite has one in every
    /// table already, its rowid; PostgreSQL needs its own, so the claim can order deliveries of a lane received in the
    /// same millisecond.
    /// </summary>
    internal const string ReceiptSequenceColumn = "receipt_sequence";

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Records.StripeEventRecord>()
            .Property<long>("ReceiptSequence")
            .HasColumnName(ReceiptSequenceColumn)
            .UseIdentityByDefaultColumn();
    }
}
