using Billing.Infrastructure.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace Billing.Infrastructure.Tests.Messaging;

/// <summary>The receipt rate the inbox gathers above: receipts of the last half second, per second.</summary>
public sealed class ReceiptRateTests
{
    [Test]
    public void Receipts_of_the_last_half_second_count_per_second()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T08:00:00Z"));
        var rate = new ReceiptRate(clock);

        for (var i = 0; i < 5; i++)
        {
            rate.Add(100);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.That(rate.PerSecond, Is.EqualTo(800), "the four tenths still in the window, 400 receipts, over half a second");
    }

    [Test]
    public void A_burst_stops_counting_half_a_second_after_it_ends()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T08:00:00Z"));
        var rate = new ReceiptRate(clock);
        rate.Add(1_000);

        clock.Advance(TimeSpan.FromMilliseconds(300));
        var during = rate.PerSecond;
        clock.Advance(TimeSpan.FromMilliseconds(300));

        Assert.That(during, Is.EqualTo(2_000));
        Assert.That(rate.PerSecond, Is.Zero);
    }

    [Test]
    public void A_slot_reused_a_round_later_forgets_what_it_counted_before()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T08:00:00Z"));
        var rate = new ReceiptRate(clock);
        rate.Add(1_000);

        clock.Advance(TimeSpan.FromMilliseconds(500));
        rate.Add(1);

        Assert.That(rate.PerSecond, Is.EqualTo(2));
    }
}
