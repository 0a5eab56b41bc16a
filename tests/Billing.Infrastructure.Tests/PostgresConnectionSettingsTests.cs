using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Billing.Infrastructure.Tests;

/// <summary>How the service connects to PostgreSQL: what it adds to the operator's connection string, and what it leaves.</summary>
public sealed class PostgresConnectionSettingsTests
{
    private static NpgsqlConnectionStringBuilder Of(BillingContextFactory contexts, bool worker)
    {
        using var db = contexts.Create(worker);
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
    }

    [Test]
    public void Requests_and_workers_prepare_their_frequent_statements_and_skip_the_reset_by_default()
    {
        var contexts = new BillingContextFactory(new DatabaseOptions { ConnectionString = "Host=db;Database=billing;Username=billing", Provider = DatabaseProvider.PostgreSql });

        Assert.That((Of(contexts, worker: false).MaxAutoPrepare, Of(contexts, worker: true).MaxAutoPrepare), Is.EqualTo((64, 64)));
        Assert.That((Of(contexts, worker: false).NoResetOnClose, Of(contexts, worker: true).NoResetOnClose), Is.EqualTo((true, true)));
        Assert.That(Of(contexts, worker: true).Options, Is.EqualTo("-c synchronous_commit=off"), "workers still commit without waiting for the flush");
    }

    [TestCase("Host=db;Database=billing;Max Auto Prepare=0;No Reset On Close=false")]
    [TestCase("Host=db;Database=billing;MaxAutoPrepare=0;NoResetOnClose=false")]
    public void A_connection_string_that_sets_them_keeps_its_own_for_a_pooler_without_prepared_statements(string connectionString)
    {
        var contexts = new BillingContextFactory(new DatabaseOptions { ConnectionString = connectionString, Provider = DatabaseProvider.PostgreSql });

        Assert.That((Of(contexts, worker: false).MaxAutoPrepare, Of(contexts, worker: true).MaxAutoPrepare), Is.EqualTo((0, 0)));
        Assert.That((Of(contexts, worker: false).NoResetOnClose, Of(contexts, worker: true).NoResetOnClose), Is.EqualTo((false, false)));
    }
}
