using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Tests;

/// <summary>The pragmas of SQLite connections: each durability profile gets its own, once per physical connection.</summary>
public sealed class SqliteConnectionSetupTests
{
    private string _file = null!;
    private BillingContextFactory _contexts = null!;

    [SetUp]
    public void CreateStore()
    {
        _file = Path.Combine(Path.GetTempPath(), $"pragmas-{Guid.NewGuid():N}.db");
        _contexts = new BillingContextFactory(new DatabaseOptions { ConnectionString = $"Data Source={_file}", Provider = DatabaseProvider.Sqlite });
    }

    [TearDown]
    public void DeleteStore()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Test]
    public async Task Requests_flush_every_commit_and_workers_do_not_on_the_same_pooled_connection()
    {
        Assert.That(await PragmaAsync(worker: false, "synchronous"), Is.EqualTo(2), "FULL for a request");
        Assert.That(await PragmaAsync(worker: true, "synchronous"), Is.EqualTo(1), "NORMAL for a worker");
        Assert.That(await PragmaAsync(worker: false, "synchronous"), Is.EqualTo(2), "FULL again when the worker's connection is lent to a request");
    }

    [Test]
    public async Task Every_connection_waits_for_the_writer_enforces_foreign_keys_and_zeroes_what_it_deletes()
    {
        foreach (var worker in new[] { false, true })
        {
            Assert.That(await PragmaAsync(worker, "busy_timeout"), Is.EqualTo(10000));
            Assert.That(await PragmaAsync(worker, "foreign_keys"), Is.EqualTo(1));
            Assert.That(await PragmaAsync(worker, "secure_delete"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task The_pragmas_run_once_per_physical_connection_not_on_every_open()
    {
        await using (var first = _contexts.Create())
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout = 1234");
        }

        // Lent again from the pool: had the setup run again, it would have put 10000 back.
        Assert.That(await PragmaAsync(worker: false, "busy_timeout"), Is.EqualTo(1234));
    }

    private async Task<long> PragmaAsync(bool worker, string pragma)
    {
        await using var db = _contexts.Create(worker);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
