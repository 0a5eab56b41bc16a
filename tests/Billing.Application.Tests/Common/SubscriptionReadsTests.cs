using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Microsoft.Extensions.Time.Testing;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Common;

/// <summary>One read of a subscription per lane, shared by the scopes the lane hands it to; none outside a lane.</summary>
public sealed class SubscriptionReadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<ISubscriptionGateway> _gateway = null!;

    [SetUp]
    public void Answers()
    {
        _gateway = new Mock<ISubscriptionGateway>();
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(new GatewaySubscription("sub_1", "cus_1", "active", Now, "si_1", "price_1", null, "prod", "starter", BillingCycle.Monthly, null, 1900, "usd", Now, Now.AddMonths(1), false, new Dictionary<string, string>())));
    }

    private SubscriptionReads Scope(SubscriptionReads.Lane? lane = null)
    {
        var reads = new SubscriptionReads(_gateway.Object, new FakeTimeProvider(Now), new BillingMetrics());
        if (lane is not null)
        {
            reads.Join(lane);
        }

        return reads;
    }

    [Test]
    public async Task The_scopes_of_one_lane_read_a_subscription_once()
    {
        var lane = new SubscriptionReads.Lane();

        await Scope(lane).GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);
        var second = await Scope(lane).GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);

        Assert.That(second.Value.ReadAt, Is.EqualTo(Now));
        _gateway.Verify(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_read_is_dated_by_Stripes_clock_when_Stripe_gave_one()
    {
        var answeredAt = Now.AddSeconds(-3);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(new GatewaySubscription("sub_1", "cus_1", "active", Now, "si_1", "price_1", null, "prod", "starter", BillingCycle.Monthly, null, 1900, "usd", Now, Now.AddMonths(1), false, new Dictionary<string, string>(), ObservedAt: answeredAt)));

        var read = await Scope().GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);

        Assert.That(read.Value.ReadAt, Is.EqualTo(answeredAt), "Stripe's Date header, not the local clock");
    }

    [Test]
    public async Task Two_reports_of_one_second_are_settled_by_a_fresh_read_even_in_a_lane_that_read_before()
    {
        var lane = new SubscriptionReads.Lane();

        await Scope(lane).GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);
        var tie = await Scope(lane).GetAsync("sub_1", SubscriptionReadReason.SameSecond, default);

        Assert.That(tie.Value.Fresh, Is.True);
        _gateway.Verify(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task A_write_in_the_lane_forgets_the_read_and_outside_a_lane_every_read_goes_to_Stripe()
    {
        var lane = new SubscriptionReads.Lane();
        var scope = Scope(lane);

        await scope.GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);
        scope.Forget("sub_1");
        await Scope(lane).GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);
        await Scope().GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);
        await Scope().GetAsync("sub_1", SubscriptionReadReason.OtherApiVersion, default);

        _gateway.Verify(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()), Times.Exactly(4));
    }
}
