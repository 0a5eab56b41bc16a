using System.Diagnostics;
using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>
/// The Stripe pace shared through PostgreSQL: slots taken by three instances at once (three paces on one database)
/// are spaced as one instance's would be, and none is lost.
/// </summary>
public sealed class SharedStripePaceTests
{
    [Test]
    public async Task Three_instances_taking_slots_at_once_share_one_pace()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Postgres);
        var database = adapters.Services.GetRequiredService<DatabaseOptions>();
        const double Rate = 20;
        var instances = Enumerable.Range(0, 3).Select(_ => new SharedStripePace(database)).ToList();
        var clock = Stopwatch.StartNew();
        var granted = new List<double>();

        await Task.WhenAll(instances.Select(async pace =>
        {
            for (var taken = 0; taken < 14;)
            {
                if (await pace.TryTakeAsync(Rate, userReserve: 0, background: true, CancellationToken.None) is { } wait)
                {
                    await Task.Delay(wait);
                    continue;
                }

                lock (granted)
                {
                    granted.Add(clock.Elapsed.TotalSeconds);
                }

                taken++;
            }
        }));
        foreach (var pace in instances)
        {
            await pace.DisposeAsync();
        }

        granted.Sort();
        var busiest = granted.Max(at => granted.Count(other => other >= at && other < at + 1));
        Assert.That(granted, Has.Count.EqualTo(42));
        Assert.That(busiest, Is.LessThanOrEqualTo(Rate + 1), "one pace for all three: the rate, and a slot taken late keeps its place");
        Assert.That(granted[^1] - granted[0], Is.GreaterThanOrEqualTo(41 / Rate * 0.9), "three paces of their own would have taken a third of the time");
    }

    [Test]
    public async Task A_user_may_go_ahead_of_background_work_by_the_reserve()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Postgres);
        await using var pace = new SharedStripePace(adapters.Services.GetRequiredService<DatabaseOptions>());

        var first = await pace.TryTakeAsync(10, userReserve: 2, background: true, CancellationToken.None);
        var background = await pace.TryTakeAsync(10, userReserve: 2, background: true, CancellationToken.None);
        var users = new[]
        {
            await pace.TryTakeAsync(10, userReserve: 2, background: false, CancellationToken.None),
            await pace.TryTakeAsync(10, userReserve: 2, background: false, CancellationToken.None),
        };
        var overdrawn = await pace.TryTakeAsync(10, userReserve: 2, background: false, CancellationToken.None);

        Assert.That(first, Is.Null, "a slot is due at once");
        Assert.That(background, Is.Not.Null.And.GreaterThan(TimeSpan.FromMilliseconds(50)), "the next is a tenth of a second later");
        Assert.That(users, Is.All.Null, "users go up to two slots ahead");
        Assert.That(overdrawn, Is.Not.Null, "past the reserve, users wait too");
    }
}
