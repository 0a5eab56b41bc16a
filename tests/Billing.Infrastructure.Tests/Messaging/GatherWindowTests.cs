using Billing.Infrastructure.Messaging;

namespace Billing.Infrastructure.Tests.Messaging;

/// <summary>How long the inbox lets a lane's first event wait, by how fast webhooks are arriving.</summary>
public sealed class GatherWindowTests
{
    private static readonly WorkerOptions Defaults = new();

    [TestCase(0)]
    [TestCase(200)]
    [TestCase(400)]
    public void At_a_steady_rate_events_are_claimed_at_once(double receiptsPerSecond) =>
        Assert.That(InboxProcessor.GatherWindow(Defaults, receiptsPerSecond), Is.EqualTo(TimeSpan.Zero));

    [TestCase(401)]
    [TestCase(1_500)]
    public void Above_the_gathering_rate_a_lane_waits_half_a_second_for_more_of_its_events(double receiptsPerSecond) =>
        Assert.That(InboxProcessor.GatherWindow(Defaults, receiptsPerSecond), Is.EqualTo(TimeSpan.FromMilliseconds(500)));

    [Test]
    public void Above_the_yielding_rate_receipt_comes_first_for_at_most_the_yield_window() =>
        Assert.That(InboxProcessor.GatherWindow(Defaults, 4_000), Is.EqualTo(TimeSpan.FromSeconds(10)));

    [Test]
    public void Zero_rates_turn_gathering_and_yielding_off()
    {
        var never = new WorkerOptions { GatherAbove = 0, YieldAbove = 0 };

        Assert.That(InboxProcessor.GatherWindow(never, 100_000), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Negative_thresholds_or_windows_are_refused_at_start() =>
        Assert.Multiple(() =>
        {
            Assert.That(new WorkerOptions { GatherAbove = -1 }.IsValid, Is.False);
            Assert.That(new WorkerOptions { YieldFor = TimeSpan.FromSeconds(-1) }.IsValid, Is.False);
        });
}
