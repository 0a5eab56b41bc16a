using Billing.Domain.Accounts;
using Billing.Domain.Disputes;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

/// <summary>Disputes: what counts against the customer, and what it does to access.</summary>
public sealed class DisputeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static DisputeFacts Facts(DisputeStatus status) => new("du_1", 4900, "usd", "fraudulent", status, "pi_1", T0.AddDays(7), T0);

    [TestCase(DisputeStatus.NeedsResponse, true, true)]
    [TestCase(DisputeStatus.UnderReview, true, true)]
    [TestCase(DisputeStatus.Lost, false, true)]
    [TestCase(DisputeStatus.Won, false, false)]
    [TestCase(DisputeStatus.WarningClosed, false, false)]
    public void A_dispute_is_open_until_decided_and_counts_against_the_customer_unless_won(DisputeStatus status, bool open, bool against)
    {
        var dispute = PaymentDispute.Open(Facts(status), "u1", "in_1");

        Assert.That(dispute.IsOpen, Is.EqualTo(open));
        Assert.That(dispute.AgainstUs, Is.EqualTo(against));
    }

    [Test]
    public void A_closed_dispute_is_not_reopened_by_an_older_report()
    {
        var dispute = PaymentDispute.Open(Facts(DisputeStatus.NeedsResponse), "u1", "in_1");
        dispute.Apply(Facts(DisputeStatus.Won), T0.AddDays(3));

        var changed = dispute.Apply(Facts(DisputeStatus.UnderReview), T0.AddDays(4));

        Assert.That(changed, Is.False);
        Assert.That(dispute.Status, Is.EqualTo(DisputeStatus.Won));
    }

    [Test]
    public void A_dispute_drops_access_only_when_the_operator_chose_so()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, T0, T0.AddMonths(1), false, 4900, "usd"), T0);
        account.ClearPendingEvents();

        account.MarkDisputed(true, T0.AddDays(1));

        Assert.That(account.PendingEvents.OfType<Billing.Domain.Accounts.Events.DisputeOpened>(), Is.Not.Empty, "Keycloak must hear it");
        Assert.That(account.EffectiveTier(T0.AddDays(1), TimeSpan.FromDays(3), suspendWhileDisputed: true), Is.EqualTo(Tier.Trial));
        Assert.That(account.EffectiveTier(T0.AddDays(1), TimeSpan.FromDays(3), suspendWhileDisputed: false), Is.EqualTo(Tier.Professional));
    }
}
