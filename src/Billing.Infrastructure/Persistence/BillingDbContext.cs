using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The service's store. Each provider has its own subclass so each keeps its own, real migrations
/// (SQLite and PostgreSQL differ in types, identity and locking).
/// </summary>
public abstract class BillingDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<BillingAccount> Accounts => Set<BillingAccount>();

    internal DbSet<StripeEventRecord> StripeEvents => Set<StripeEventRecord>();

    internal DbSet<SyncMessage> SyncMessages => Set<SyncMessage>();

    internal DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<AccountHistoryEntry> AccountHistory => Set<AccountHistoryEntry>();

    public DbSet<BalanceCredit> BalanceCredits => Set<BalanceCredit>();

    internal DbSet<UserRequestWindow> UserRequestWindows => Set<UserRequestWindow>();

    internal DbSet<UsageEventRecord> UsageEvents => Set<UsageEventRecord>();

    internal DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<Billing.Domain.Invoices.BillingInvoice> Invoices => Set<Billing.Domain.Invoices.BillingInvoice>();

    public DbSet<Billing.Domain.Invoices.InvoiceRefund> InvoiceRefunds => Set<Billing.Domain.Invoices.InvoiceRefund>();

    public DbSet<Billing.Domain.Disputes.PaymentDispute> Disputes => Set<Billing.Domain.Disputes.PaymentDispute>();

    public DbSet<Billing.Domain.Revenue.RevenueMovement> RevenueMovements => Set<Billing.Domain.Revenue.RevenueMovement>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BillingDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as UTC ticks-free ISO strings on SQLite would not sort; a long of Unix milliseconds sorts on both providers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }
}
