using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>
/// A subscription's history of events, delivered in any order, some twice, some again after all the rest, some
/// created in the same second as another with a different state: the account always ends in Stripe's final state,
/// and Stripe is read only for events of a second that holds two different states.
/// </summary>
public sealed class SubscriptionEventOrderPropertyTests : WebhookHandlerFixture
{
    private static readonly string[] LiveStatuses = ["trialing", "active", "past_due", "unpaid", "paused"];
    private static readonly string[] Tiers = ["starter", "professional", "enterprise"];

    [Test]
    public async Task Any_order_of_a_history_ends_in_Stripes_final_state_and_reads_only_on_ties([Range(0, 399)] int seed)
    {
        var random = new Random(seed);
        var history = Created(random, withTies: seed % 2 == 0);
        var final = history[^1].Reported!;
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-30));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-30));
        Accounts.Setup(a => a.FindByStripeCustomerAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        var stripeAnsweredAt = history[^1].CreatedAt.AddSeconds(random.Next(0, 3));
        Subscriptions.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(final with { ObservedAt = stripeAnsweredAt }));
        using var reads = new SubscriptionReadCounter(Metrics);
        var handler = new ApplySubscriptionChanged(Applier(), Notices());

        foreach (var delivery in Deliveries(history, random))
        {
            var result = await handler.Handle(delivery, default);
            Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        }

        Assert.That(PlanCodes.TryParseStatus(final.Status, out var finalStatus), Is.True);
        Assert.That(PlanCodes.TryParseTier(final.PriceTier, out var finalTier), Is.True);
        Assert.That((account.Status, account.Tier, account.CurrentPeriodEnd, account.CancelAtPeriodEnd),
            Is.EqualTo((finalStatus, finalTier, final.CurrentPeriodEnd, final.CancelAtPeriodEnd)),
            $"seed {seed}: the account ends where Stripe ended");
        var tiedSeconds = history.GroupBy(e => e.CreatedAt).Count(g => g.Select(e => e.Reported).Distinct().Count() > 1);
        Assert.That(reads.Total, tiedSeconds == 0 ? Is.Zero : Is.LessThanOrEqualTo(history.Count * 3), $"seed {seed}: reads happen only when a second holds two states");
        Assert.That(reads.Total, Is.EqualTo(reads.Of("same_second")), "every read there was is a tie's");
    }

    /// <summary>Events as Stripe created them: one each second or more apart, with a second of two different states when asked.</summary>
    private static List<SubscriptionChanged> Created(Random random, bool withTies)
    {
        var events = new List<SubscriptionChanged>();
        var at = Now;
        var count = random.Next(2, 9);
        for (var i = 0; i < count; i++)
        {
            at = at.AddSeconds(random.Next(1, 5000));
            events.Add(Event(events.Count, at, State(random, i)));
            if (withTies && random.Next(3) == 0)
            {
                events.Add(Event(events.Count, at, State(random, i + 100)));
            }
        }

        return events;
    }

    private static GatewaySubscription State(Random random, int step) =>
        Subscription("sub_1", LiveStatuses[random.Next(LiveStatuses.Length)], Tiers[random.Next(Tiers.Length)]) with
        {
            CurrentPeriodEnd = Now.AddMonths(1 + (step % 7)),
            CancelAtPeriodEnd = random.Next(4) == 0,
        };

    private static SubscriptionChanged Event(int n, DateTimeOffset created, GatewaySubscription state) =>
        new($"evt_{n}", created, "sub_1", "cus_1", SubscriptionChange.Updated, null, state);

    /// <summary>Shuffled, a fifth delivered twice, and some delivered once more after all the rest.</summary>
    private static List<SubscriptionChanged> Deliveries(List<SubscriptionChanged> history, Random random)
    {
        var deliveries = history.Concat(history.Where(_ => random.Next(5) == 0)).OrderBy(_ => random.Next()).ToList();
        deliveries.AddRange(history.Where(_ => random.Next(4) == 0));
        return deliveries;
    }
}
