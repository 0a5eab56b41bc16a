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
        var reads = new SubscriptionReads(_gateway.Object, new FakeTimeProvider(Now));
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

        await Scope(lane).GetAsync("sub_1", default);
        var second = await Scope(lane).GetAsync("sub_1", default);

        Assert.That(second.Value.ReadAt, Is.EqualTo(Now));
        _gateway.Verify(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_write_in_the_lane_forgets_the_read_and_outside_a_lane_every_read_goes_to_Stripe()
    {
        var lane = new SubscriptionReads.Lane();
        var scope = Scope(lane);

        await scope.GetAsync("sub_1", default);
        scope.Forget("sub_1");
        await Scope(lane).GetAsync("sub_1", default);
        await Scope().GetAsync("sub_1", default);
        await Scope().GetAsync("sub_1", default);

        _gateway.Verify(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()), Times.Exactly(4));
    }
}
