using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>The store on both providers: races that must end with one row, and claims that replicas never share.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class PersistenceTests(Database database)
{
    [Test]
    public async Task Concurrent_first_requests_of_one_user_open_one_account_and_link_one_customer()
    {
        await using var adapters = await Adapters.CreateAsync(database);

        var linked = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            await using var scope = adapters.Services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<IBillingAccountRepository>();
            await accounts.GetOrOpenAsync("racer", "r@example.com", default);
            return (await accounts.LinkStripeCustomerAsync("racer", $"cus_{i}", default)).StripeCustomerId;
        }));

        await using var check = adapters.Services.CreateAsyncScope();
        var ids = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(check.ServiceProvider.GetRequiredService<Billing.Infrastructure.Persistence.BillingDbContext>().Accounts.Select(a => a.UserId));
        Assert.That(ids, Is.EqualTo(new[] { "racer" }));
        Assert.That(linked.Distinct().Count(), Is.EqualTo(1), "every request sees the one customer that won");
    }

    [Test]
    public async Task Of_two_writers_of_one_account_the_second_saves_nothing_and_succeeds_when_run_again_on_fresh_state()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        var t0 = DateTimeOffset.UtcNow;
        Billing.Domain.Accounts.SubscriptionSnapshot Snapshot(string? coupon) =>
            new("sub_1", "cus_1", Billing.Domain.Plans.SubscriptionStatus.Active, Billing.Domain.Plans.Tier.Starter, Billing.Domain.Plans.BillingCycle.Monthly, t0, t0.AddMonths(1), false, 1900, "usd",
                Discount: coupon is null ? null : new Billing.Domain.Accounts.AppliedDiscount(coupon, coupon, null, 10m, null, Billing.Domain.Accounts.DiscountDuration.Once, null));
        await using (var seed = adapters.Services.CreateAsyncScope())
        {
            var accounts = seed.ServiceProvider.GetRequiredService<IBillingAccountRepository>();
            await accounts.GetOrOpenAsync("writer", "w@example.com", default);
            await accounts.LinkStripeCustomerAsync("writer", "cus_1", default);
        }

        await using var first = adapters.Services.CreateAsyncScope();
        await using var second = adapters.Services.CreateAsyncScope();
        var mine = await first.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync("writer", default);
        var theirs = await second.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync("writer", default);
        theirs!.ApplySubscription(Snapshot("theirs"), t0.AddSeconds(1));
        await second.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(default);
        mine!.ApplySubscription(Snapshot("mine"), t0.AddSeconds(2));

        // Only the owned discount row differs, and still the whole account conflicts: nothing of the second writer is saved.
        var unitOfWork = first.ServiceProvider.GetRequiredService<IUnitOfWork>();
        await Assert.ThrowsAsync<ConcurrentChangeException>(() => unitOfWork.CommitAsync(default));
        await using (var check = adapters.Services.CreateAsyncScope())
        {
            var afterConflict = await check.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync("writer", default);
            Assert.That(afterConflict!.Discount!.CouponId, Is.EqualTo("theirs"));
        }

        // What the pipeline does next: forget what was tracked and run the command again on the fresh state.
        unitOfWork.Discard();
        var fresh = await first.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync("writer", default);
        fresh!.ApplySubscription(Snapshot("mine"), t0.AddSeconds(2));
        await unitOfWork.CommitAsync(default);

        await using var after = adapters.Services.CreateAsyncScope();
        var stored = await after.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync("writer", default);
        Assert.That(stored!.Discount!.CouponId, Is.EqualTo("mine"));
    }

    [Test]
    public async Task A_change_that_sends_something_wakes_the_relay_and_one_that_sends_nothing_does_not()
    {
        var relay = new CountingSignal();
        await using var adapters = await Adapters.CreateAsync(database, replace: services => services.AddSingleton<IOutboxSignal>(relay));
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var snapshot = new Billing.Domain.Accounts.SubscriptionSnapshot(
            "sub_1", "cus_1", Billing.Domain.Plans.SubscriptionStatus.Active, Billing.Domain.Plans.Tier.Starter, Billing.Domain.Plans.BillingCycle.Monthly, t0, t0.AddMonths(1), false, 1900, "usd");
        await using (var seed = adapters.Services.CreateAsyncScope())
        {
            var accounts = seed.ServiceProvider.GetRequiredService<IBillingAccountRepository>();
            await accounts.GetOrOpenAsync("sender", "s@example.com", default);
            await accounts.LinkStripeCustomerAsync("sender", "cus_1", default);
        }

        async Task ApplyAsync(DateTimeOffset observedAt)
        {
            await using var scope = adapters.Services.CreateAsyncScope();
            var account = await scope.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync("sender", default);
            account!.ApplySubscription(snapshot, observedAt);
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(default);
        }

        var before = relay.Count;
        await ApplyAsync(t0.AddSeconds(1));
        var afterSubscribing = relay.Count;
        await ApplyAsync(t0.AddSeconds(2));

        Assert.That(afterSubscribing - before, Is.EqualTo(1), "subscribing sends the tier to Keycloak and Lago");
        Assert.That(relay.Count, Is.EqualTo(afterSubscribing), "the same snapshot seen later is recorded and sends nothing");
    }

    private sealed class CountingSignal : IOutboxSignal
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Notify() => Interlocked.Increment(ref _count);
    }

    private static NewInboxEvent Event(string id) =>
        new(id, "customer.subscription.updated", null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(-1), "{}", Ignored: false);

    [Test]
    public async Task An_event_id_is_stored_once_however_often_it_arrives()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => inbox.TryAddAsync(Event("evt_same"), default)));

        Assert.That(results.Count(stored => stored), Is.EqualTo(1));
        Assert.That(await inbox.ListAsync(null, 10, default), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Many_deliveries_at_once_store_each_event_once_and_lose_none()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();
        var ids = Enumerable.Range(0, 60).Select(i => $"evt_burst_{i:D3}").ToList();

        // Each event delivered four times, all at once: copies of one event land in one batch (the first in id order
        // stores it) or in batches one after the other (the database skips the stored id).
        var deliveries = ids.SelectMany(id => Enumerable.Repeat(id, 4)).OrderBy(_ => Random.Shared.Next()).ToList();
        var stored = await Task.WhenAll(deliveries.Select(id => Task.Run(() => inbox.TryAddAsync(Event(id), default))));

        var storedPerEvent = deliveries.Zip(stored).Where(d => d.Second).GroupBy(d => d.First).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(storedPerEvent.Keys, Is.EquivalentTo(ids), "every event is stored by one of its deliveries");
        Assert.That(storedPerEvent.Values, Is.All.EqualTo(1), "and by one only: the others learn it was already there");
        Assert.That((await inbox.ListAsync(null, 500, default)).Select(e => e.Id), Is.EquivalentTo(ids));
    }

    [Test]
    public async Task Two_workers_claiming_at_once_never_get_the_same_event()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using (var scope = adapters.Services.CreateAsyncScope())
        {
            var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();
            await Task.WhenAll(Enumerable.Range(0, 100).Select(i => inbox.TryAddAsync(Event($"evt_{i}"), default)));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
        {
            var mine = new List<string>();
            for (var round = 0; round < 10; round++)
            {
                await using var scope = adapters.Services.CreateAsyncScope();
                mine.AddRange((await scope.ServiceProvider.GetRequiredService<IWebhookInbox>().ClaimDueAsync($"worker-{w}", 10, TimeSpan.FromMinutes(1), TimeSpan.Zero, default)).Select(c => c.Id));
            }

            return mine;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.That(all, Is.Unique);
        Assert.That(all, Has.Count.EqualTo(100));
    }

    [Test]
    public async Task A_claim_brings_the_due_rest_of_each_lane_it_takes_and_leaves_other_lanes_to_other_workers()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);
        NewInboxEvent Of(string id, string lane, int second) => new(id, "customer.subscription.updated", null, t0, t0.AddSeconds(second), "{}", Ignored: false, OrderingKey: lane);
        await inbox.TryAddAsync(Of("evt_a1", "sub_a", 1), default);
        await inbox.TryAddAsync(Of("evt_b1", "sub_b", 2), default);
        await inbox.TryAddAsync(Of("evt_a2", "sub_a", 3), default);
        await inbox.TryAddAsync(Of("evt_a3", "sub_a", 4), default);
        await inbox.TryAddAsync(Of("evt_b2", "sub_b", 5), default);

        var first = await inbox.ClaimDueAsync("one", 1, TimeSpan.FromMinutes(1), TimeSpan.Zero, default);
        var second = await inbox.ClaimDueAsync("two", 10, TimeSpan.FromMinutes(1), TimeSpan.Zero, default);

        Assert.That(first.Select(e => e.Id), Is.EquivalentTo(new[] { "evt_a1", "evt_a2", "evt_a3" }), "the oldest event's whole lane");
        Assert.That(second.Select(e => e.Id), Is.EquivalentTo(new[] { "evt_b1", "evt_b2" }), "the lane held by the first worker is not shared");
    }

    [Test]
    public async Task Deliveries_of_a_lane_received_in_the_same_millisecond_keep_the_order_they_were_stored_in()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();
        var received = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds());
        // Ids that sort against the order of receipt, so no order by id can pass for the order received.
        string[] stored = ["evt_z", "evt_m", "evt_a", "evt_k"];
        foreach (var id in stored)
        {
            await inbox.TryAddAsync(new NewInboxEvent(id, "customer.subscription.updated", null, received, received, "{}", Ignored: false, OrderingKey: "sub_tie"), default);
        }

        var claimed = await inbox.ClaimDueAsync("one", 1, TimeSpan.FromMinutes(1), TimeSpan.Zero, default);

        Assert.That(claimed.Select(e => e.ReceivedAt).Distinct().ToList(), Is.EqualTo(new[] { received }), "one millisecond for all");
        Assert.That(claimed.Select(e => e.ReceiptSequence), Is.Unique);
        Assert.That(claimed.OrderBy(e => e.ReceiptSequence).Select(e => e.Id), Is.EqualTo(stored));
    }

    [Test]
    public async Task While_gathering_only_a_lane_whose_oldest_event_waited_the_window_is_claimed_and_its_younger_events_come_along()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();
        var now = DateTimeOffset.UtcNow;
        NewInboxEvent Of(string id, string lane, DateTimeOffset received) => new(id, "customer.subscription.updated", null, received, received, "{}", Ignored: false, OrderingKey: lane);
        await inbox.TryAddAsync(Of("evt_old1", "sub_old", now.AddSeconds(-30)), default);
        await inbox.TryAddAsync(Of("evt_old2", "sub_old", now.AddSeconds(-1)), default);
        await inbox.TryAddAsync(Of("evt_young1", "sub_young", now.AddSeconds(-1)), default);

        var gathered = await inbox.ClaimDueAsync("one", 10, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), default);
        var later = await inbox.ClaimDueAsync("two", 10, TimeSpan.FromMinutes(1), TimeSpan.Zero, default);

        Assert.That(gathered.Select(e => e.Id), Is.EquivalentTo(new[] { "evt_old1", "evt_old2" }), "a claim of fewer than it could still brings the lane's younger event");
        Assert.That(later.Select(e => e.Id), Is.EquivalentTo(new[] { "evt_young1" }), "the young lane waited; without the window it is claimed");
    }

    [Test]
    public async Task A_lapsed_lease_can_be_claimed_again_but_the_first_worker_then_cannot_record_its_failure()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();
        await inbox.TryAddAsync(Event("evt_lease"), default);

        var first = await inbox.ClaimDueAsync("slow", 1, TimeSpan.FromMilliseconds(-1), TimeSpan.Zero, default);
        var second = await inbox.ClaimDueAsync("fast", 1, TimeSpan.FromMinutes(1), TimeSpan.Zero, default);
        await inbox.RecordFailureAsync("evt_lease", "slow", "too late", null, countAttempt: true, default);
        var stored = (await inbox.ListAsync(null, 1, default)).Single();

        Assert.That(first.Single().Id, Is.EqualTo("evt_lease"));
        Assert.That(second.Single().Attempts, Is.EqualTo(2));
        Assert.That(stored.Status, Is.EqualTo(InboxStatus.Pending), "the slow worker's verdict does not count any more");
        Assert.That(await inbox.FindClaimedAsync("evt_lease", "fast", default), Is.Not.Null, "the fast worker holds the claim");
        Assert.That(await inbox.FindClaimedAsync("evt_lease", "slow", default), Is.Null);
    }

    [Test]
    public async Task A_claim_kept_alive_by_its_heartbeat_is_not_taken_over_and_one_left_to_lapse_is()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IWebhookInbox>();
        await inbox.TryAddAsync(Event("evt_heartbeat"), default);
        var lease = TimeSpan.FromMilliseconds(600);

        var first = await inbox.ClaimDueAsync("alive", 1, lease, TimeSpan.Zero, default);
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(lease / 3);
            await inbox.RenewLeasesAsync("alive", lease, default);
        }

        var whileAlive = await inbox.ClaimDueAsync("other", 1, lease, TimeSpan.Zero, default);
        await Task.Delay(lease + TimeSpan.FromMilliseconds(200));
        var afterLapse = await inbox.ClaimDueAsync("other", 1, lease, TimeSpan.Zero, default);

        Assert.That(first.Single().Id, Is.EqualTo("evt_heartbeat"));
        Assert.That(whileAlive, Is.Empty, "the heartbeat kept the claim a full second past its first lease");
        Assert.That(afterLapse.Single().Id, Is.EqualTo("evt_heartbeat"), "a claim nobody renews is taken over once its short lease ends");
    }

    [Test]
    public async Task A_message_superseded_during_its_delivery_is_recorded_as_delivered_and_stays_superseded()
    {
        await using var adapters = await Adapters.CreateAsync(database);
        await using var scope = adapters.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Billing.Infrastructure.Persistence.BillingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<ISyncOutbox>();
        var message = new Billing.Infrastructure.Persistence.Records.SyncMessage
        {
            UserId = "u-superseded", Target = SyncTarget.IdentityDirectory, AccountVersion = 1, Payload = "{}",
            CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow.AddSeconds(-1),
        };
        db.SyncMessages.Add(message);
        await db.SaveChangesAsync();
        var claimed = await outbox.ClaimDueAsync("relay", 1, TimeSpan.FromMinutes(1), default);

        // A newer change of the account supersedes the message while its delivery is in flight.
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
            System.Linq.Queryable.Where(db.SyncMessages, m => m.Id == message.Id),
            s => s.SetProperty(m => m.Status, SyncStatus.Superseded));
        await Assert.DoesNotThrowAsync(() => outbox.CompleteAsync(message.Id, "relay", "Keycloak user u-superseded: trial / none.", DateTimeOffset.UtcNow, default));
        var stored = (await outbox.ListAsync(null, "u-superseded", 10, default)).Single();

        Assert.That(claimed.Single().Id, Is.EqualTo(message.Id));
        Assert.That(stored.Status, Is.EqualTo(SyncStatus.Superseded), "no failure, and not counted as the latest delivery either");
        Assert.That(stored.DeliveredAt, Is.Not.Null);
        Assert.That(stored.LastError, Is.Null);
    }
}
