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
    public void Requests_and_workers_prepare_their_frequent_statements_by_default()
    {
        var contexts = new BillingContextFactory(new DatabaseOptions { ConnectionString = "Host=db;Database=billing;Username=billing", Provider = DatabaseProvider.PostgreSql });

        Assert.That((Of(contexts, worker: false).MaxAutoPrepare, Of(contexts, worker: true).MaxAutoPrepare), Is.EqualTo((64, 64)));
        Assert.That(Of(contexts, worker: true).Options, Is.EqualTo("-c synchronous_commit=off"), "workers still commit without waiting for the flush");
    }

    [TestCase("Host=db;Database=billing;Max Auto Prepare=0")]
    [TestCase("Host=db;Database=billing;MaxAutoPrepare=0")]
    public void A_connection_string_that_sets_auto_prepare_keeps_it_for_a_pooler_without_prepared_statements(string connectionString)
    {
        var contexts = new BillingContextFactory(new DatabaseOptions { ConnectionString = connectionString, Provider = DatabaseProvider.PostgreSql });

        Assert.That((Of(contexts, worker: false).MaxAutoPrepare, Of(contexts, worker: true).MaxAutoPrepare), Is.EqualTo((0, 0)));
    }
}
