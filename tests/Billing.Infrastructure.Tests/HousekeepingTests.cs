using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Infrastructure.Persistence;
using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>Records that outlive their purpose: finished ones are swept, abandoned idempotency claims are taken over.</summary>
public sealed class HousekeepingTests
{
    [Test]
    public async Task Retention_removes_old_finished_records_and_keeps_failed_recent_and_parked_ones()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var old = DateTimeOffset.UtcNow.AddDays(-60);
        await using (var scope = adapters.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            db.StripeEvents.AddRange(
                new StripeEventRecord { Id = "evt_old_done", Type = "t", Payload = "{}", ReceivedAt = old, Status = InboxStatus.Processed },
                new StripeEventRecord { Id = "evt_old_failed", Type = "t", Payload = "{}", ReceivedAt = old, Status = InboxStatus.Failed },
                new StripeEventRecord { Id = "evt_new_done", Type = "t", Payload = "{}", ReceivedAt = DateTimeOffset.UtcNow, Status = InboxStatus.Processed });
            db.SyncMessages.AddRange(
                new SyncMessage { UserId = "u", Payload = "{}", CreatedAt = old, Status = SyncStatus.Delivered },
                new SyncMessage { UserId = "u", Payload = "{}", CreatedAt = old, Status = SyncStatus.Parked });
            await db.SaveChangesAsync();
        }

        var deleted = await adapters.Services.GetRequiredService<RetentionSweeper>().SweepAsync(default);

        await using var check = adapters.Services.CreateAsyncScope();
        var remaining = check.ServiceProvider.GetRequiredService<BillingDbContext>();
        Assert.That(deleted, Is.EqualTo(2));
        Assert.That(await remaining.StripeEvents.Select(e => e.Id).ToListAsync(), Is.EquivalentTo(new[] { "evt_old_failed", "evt_new_done" }));
        Assert.That(await remaining.SyncMessages.Select(m => m.Status).ToListAsync(), Is.EqualTo(new[] { SyncStatus.Parked }));
    }

    [Test]
    public async Task An_idempotency_claim_left_by_a_dead_request_is_taken_over_and_a_live_one_is_not()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        var store = adapters.Services.GetRequiredService<IIdempotencyStore>();

        var first = await store.ClaimAsync("u1", "k1", "POST /x", "h", default);
        var whileRunning = await store.ClaimAsync("u1", "k1", "POST /x", "h", default);
        await using (var scope = adapters.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            await db.IdempotencyRecords.ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-10)));
        }

        var afterCrash = await store.ClaimAsync("u1", "k1", "POST /x", "h", default);
        await store.CompleteAsync("u1", "k1", 200, "{\"ok\":true}", default);
        var replay = await store.ClaimAsync("u1", "k1", "POST /x", "h", default);

        Assert.That(first.Outcome, Is.EqualTo(IdempotencyOutcome.Started));
        Assert.That(whileRunning.Outcome, Is.EqualTo(IdempotencyOutcome.InProgress));
        Assert.That(afterCrash.Outcome, Is.EqualTo(IdempotencyOutcome.Started));
        Assert.That(replay.Outcome, Is.EqualTo(IdempotencyOutcome.Replay));
        Assert.That(replay.ResponseBody, Is.EqualTo("{\"ok\":true}"));
    }
}

/// <summary>Requests commit with a full flush; background workers, whose lost results are simply redone, do not wait for it.</summary>
public sealed class DurabilityProfileTests
{
    private static async Task<long> ScalarAsync(BillingDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is string text ? (text == "on" ? 1 : 0) : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task SQLite_requests_flush_fully_and_workers_normally()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        await using var request = adapters.Services.CreateAsyncScope();
        await using var worker = adapters.Services.CreateAsyncScope();
        worker.ServiceProvider.GetRequiredService<ScopeRole>().Worker = true;

        Assert.That(await ScalarAsync(request.ServiceProvider.GetRequiredService<BillingDbContext>(), "PRAGMA synchronous"), Is.EqualTo(2), "FULL");
        Assert.That(await ScalarAsync(worker.ServiceProvider.GetRequiredService<BillingDbContext>(), "PRAGMA synchronous"), Is.EqualTo(1), "NORMAL");
    }

    [Test]
    public async Task PostgreSQL_requests_commit_synchronously_and_workers_asynchronously()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Postgres);
        await using var request = adapters.Services.CreateAsyncScope();
        await using var worker = adapters.Services.CreateAsyncScope();
        worker.ServiceProvider.GetRequiredService<ScopeRole>().Worker = true;

        Assert.That(await ScalarAsync(request.ServiceProvider.GetRequiredService<BillingDbContext>(), "SHOW synchronous_commit"), Is.EqualTo(1));
        Assert.That(await ScalarAsync(worker.ServiceProvider.GetRequiredService<BillingDbContext>(), "SHOW synchronous_commit"), Is.EqualTo(0));
    }
}
