using Billing.Infrastructure.Configuration;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Makes the service's contexts, in one of two durability profiles. Requests (a webhook's receipt, a user's
/// command) commit with a full flush before they answer. Background workers (claims, processing results,
/// deliveries) commit without waiting for the flush: what a crash could take back of theirs is redone, since
/// an event or message whose result is lost is simply pending again and processing is idempotent; and the next
/// flushed commit makes their earlier ones durable too. This keeps the workers off the disk's critical path.
/// </summary>
public sealed class BillingContextFactory
{
    private readonly Func<BillingDbContext> _requests;
    private readonly Func<BillingDbContext> _workers;

    public BillingContextFactory(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // A pool of its own for the workers, with the setting given at connection start-up.
            var requests = WithServiceDefaults(database.ConnectionString);
            var workers = new NpgsqlConnectionStringBuilder(requests) { Options = "-c synchronous_commit=off", ApplicationName = "billing-worker" };
            _requests = Pooled(new DbContextOptionsBuilder<PostgresBillingDbContext>().UseNpgsql(requests).Options);
            _workers = Pooled(new DbContextOptionsBuilder<PostgresBillingDbContext>().UseNpgsql(workers.ConnectionString).Options);
        }
        else
        {
            _requests = Pooled(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(database.ConnectionString).AddInterceptors(new SqliteConnectionSetup(durable: true)).Options);
            _workers = Pooled(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(database.ConnectionString).AddInterceptors(new SqliteConnectionSetup(durable: false)).Options);
        }
    }

    /// <summary>
    /// Contexts are pooled: a context's first use sets up its internal services, which cost a webhook's receipt a
    /// fifth of its CPU when every request made a fresh one. Disposing a context resets it and returns it.
    /// </summary>
    private static Func<BillingDbContext> Pooled<TContext>(DbContextOptions<TContext> options)
        where TContext : BillingDbContext
    {
        var pool = new Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<TContext>(options);
        return pool.CreateDbContext;
    }

    /// <summary>
    /// Two defaults for a service that sends the same few statements all day and opens a pooled connection for each:
    /// Npgsql prepares the frequent statements on each connection, so the server stops parsing and planning them
    /// every time; and a connection going back to the pool is not reset, since the service sets no session state
    /// (the reset was three statements on the server per query outside a transaction, ten times the events'
    /// own). A connection string that sets either keeps its own (<c>Max Auto Prepare=0</c> behind a pooler that
    /// cannot keep prepared statements).
    /// </summary>
    private static string WithServiceDefaults(string connectionString)
    {
        // Npgsql's own builder knows every keyword whether set or not; the plain one holds only what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.ContainsKey("Max Auto Prepare") && !written.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!written.ContainsKey("No Reset On Close") && !written.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public BillingDbContext Create(bool worker = false) => worker ? _workers() : _requests();
}
