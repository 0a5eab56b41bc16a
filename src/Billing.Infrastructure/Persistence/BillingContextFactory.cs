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
    private readonly DbContextOptions _requests;
    private readonly DbContextOptions _workers;

    public BillingContextFactory(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // A pool of its own for the workers, with the setting given at connection start-up.
            var requests = Prepared(database.ConnectionString);
            var workers = new NpgsqlConnectionStringBuilder(requests) { Options = "-c synchronous_commit=off", ApplicationName = "billing-worker" };
            _requests = new DbContextOptionsBuilder<PostgresBillingDbContext>().UseNpgsql(requests).Options;
            _workers = new DbContextOptionsBuilder<PostgresBillingDbContext>().UseNpgsql(workers.ConnectionString).Options;
        }
        else
        {
            _requests = new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(database.ConnectionString).AddInterceptors(new SqliteConnectionSetup(durable: true)).Options;
            _workers = new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite(database.ConnectionString).AddInterceptors(new SqliteConnectionSetup(durable: false)).Options;
        }
    }

    /// <summary>
    /// The service sends the same few statements all day (claims, an account by customer, a receipt batch), so by
    /// default Npgsql prepares the frequent ones on each connection and the server stops parsing and planning them
    /// every time. A connection string that sets <c>Max Auto Prepare</c> itself keeps it (0 behind a pooler that
    /// cannot keep prepared statements).
    /// </summary>
    private static string Prepared(string connectionString)
    {
        // Npgsql's own builder knows every keyword whether set or not; the plain one holds only what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.ContainsKey("Max Auto Prepare") || written.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    public BillingDbContext Create(bool worker = false) => (worker ? _workers : _requests) switch
    {
        DbContextOptions<PostgresBillingDbContext> pg => new PostgresBillingDbContext(pg),
        DbContextOptions<SqliteBillingDbContext> lite => new SqliteBillingDbContext(lite),
        var other => throw new InvalidOperationException($"No billing context for {other.GetType()}."),
    };
}
