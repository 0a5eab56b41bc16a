using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Infrastructure.Persistence;

/// <summary>Creates and migrates the database before the server takes requests.</summary>
internal sealed class DatabaseMigrator(IServiceProvider services, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => PrepareAsync(services, logger, cancellationToken);

    /// <summary>
    /// Creates and migrates the database. A database that cannot be reached or opened is a setting to fix, and is
    /// reported as one (naming BILLING_DATABASE, never its value), not as a driver's stack trace.
    /// </summary>
    public static async Task PrepareAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await MigrateAsync(services, logger, cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException ||
                                  e.InnerException is System.Data.Common.DbException or System.Net.Sockets.SocketException)
        {
            throw new Configuration.SettingException("BILLING_DATABASE", $"names a database that could not be reached or prepared ({(e.InnerException ?? e).GetType().Name})");
        }
    }

    private static async Task MigrateAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers run beside the single writer; the setting persists in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Database ready ({Provider})", db.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
