using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Billing.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>On SQLite the background workers commit one at a time; receipts and users' commands never wait for that turn.</summary>
public sealed class WorkerWriteTurnTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_796_000_000);

    private static SubscriptionSnapshot Snapshot(string customer, Tier tier) =>
        new($"sub_{customer}", customer, SubscriptionStatus.Active, tier, BillingCycle.Monthly, T0, T0.AddMonths(1), false, 1900, "usd");

    private static async Task SeedAsync(Adapters adapters, string user, string customer)
    {
        await using var scope = adapters.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<IBillingAccountRepository>();
        await accounts.GetOrOpenAsync(user, $"{user}@example.com", default);
        await accounts.LinkStripeCustomerAsync(user, customer, default);
    }

    /// <summary>Applies a snapshot and commits it, in a worker's scope or a request's.</summary>
    private static async Task CommitAsync(Adapters adapters, string user, string customer, Tier tier, bool worker, DateTimeOffset observedAt)
    {
        await using var scope = adapters.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeRole>().Worker = worker;
        var account = await scope.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync(user, default);
        account!.ApplySubscription(Snapshot(customer, tier), observedAt);
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(default);
    }

    [Test]
    public async Task A_workers_commit_waits_for_the_turn_while_a_requests_commit_does_not()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        await SeedAsync(adapters, "worker-user", "cus_w");
        await SeedAsync(adapters, "request-user", "cus_r");
        var held = await adapters.Services.GetRequiredService<WorkerWriteTurn>().TakeAsync(default);

        var workerCommit = CommitAsync(adapters, "worker-user", "cus_w", Tier.Starter, worker: true, T0.AddSeconds(1));
        await CommitAsync(adapters, "request-user", "cus_r", Tier.Starter, worker: false, T0.AddSeconds(1)).WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.That(workerCommit.IsCompleted, Is.False, "the worker waits for the turn another worker holds");

        held.Dispose();
        await workerCommit.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task A_commit_that_fails_passes_the_turn_on()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite);
        await SeedAsync(adapters, "racer", "cus_x");
        await using var stale = adapters.Services.CreateAsyncScope();
        stale.ServiceProvider.GetRequiredService<ScopeRole>().Worker = true;
        var account = await stale.ServiceProvider.GetRequiredService<IBillingAccountRepository>().FindAsync("racer", default);
        await CommitAsync(adapters, "racer", "cus_x", Tier.Professional, worker: true, T0.AddSeconds(1));
        account!.ApplySubscription(Snapshot("cus_x", Tier.Starter), T0.AddSeconds(2));

        await Assert.ThrowsAsync<ConcurrentChangeException>(() => stale.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(default));

        using var next = await adapters.Services.GetRequiredService<WorkerWriteTurn>().TakeAsync(default).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
