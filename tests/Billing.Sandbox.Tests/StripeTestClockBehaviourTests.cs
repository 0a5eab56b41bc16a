using Billing.Sandbox.Stripe;
using Stripe;
using Stripe.TestHelpers;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The stand-in's test clocks follow Stripe's reference: customers made on a clock live at its frozen time; a clock
/// only moves forward, at most two intervals of its shortest subscription; advancing plays what falls due meanwhile.
/// </summary>
public sealed class StripeTestClockBehaviourTests : StripeStandInFixture
{
    private static readonly DateTimeOffset Start = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected override Task SeedAsync() => SeedPlanAsync();

    private async Task<(TestClock Clock, string Subscription)> SubscribedOnAClockAsync(string card = StripeStandIn.CardSucceeds)
    {
        var clock = await new TestClockService(Client).CreateAsync(new TestClockCreateOptions { FrozenTime = Start.UtcDateTime, Name = "renewals" });
        var customer = await new global::Stripe.CustomerService(Client).CreateAsync(new CustomerCreateOptions { Email = "ada@example.com", TestClock = clock.Id });
        var session = await new global::Stripe.Checkout.SessionService(Client).CreateAsync(new global::Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            LineItems = [new global::Stripe.Checkout.SessionLineItemOptions { Price = (await new PriceService(Client).ListAsync()).Single().Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/done",
        });
        var subscription = StandIn.CompleteCheckout(session.Id, card).Body["subscription"]!.GetValue<string>();
        return (clock, subscription);
    }

    [Test]
    public async Task A_clock_is_made_ready_at_its_frozen_time_and_deleted_after_seven_days()
    {
        var clock = await new TestClockService(Client).CreateAsync(new TestClockCreateOptions { FrozenTime = Start.UtcDateTime });

        Assert.That(clock.Status, Is.EqualTo("ready"));
        Assert.That(new DateTimeOffset(DateTime.SpecifyKind(clock.FrozenTime, DateTimeKind.Utc)), Is.EqualTo(Start));
        Assert.That(clock.DeletesAfter - clock.Created, Is.EqualTo(TimeSpan.FromDays(7)));
        await Assert.ThrowsAsync<StripeException>(() => new TestClockService(Client).CreateAsync(new TestClockCreateOptions()));
    }

    [Test]
    public async Task A_subscription_on_a_clock_starts_at_its_frozen_time_and_renews_once_a_month_as_the_clock_moves()
    {
        var (clock, subscriptionId) = await SubscribedOnAClockAsync();
        var started = StandIn.Subscription(subscriptionId)!["start_date"]!.GetValue<long>();

        var advancing = await new TestClockService(Client).AdvanceAsync(clock.Id, new TestClockAdvanceOptions { FrozenTime = Start.AddDays(40).UtcDateTime });
        var renewals = StandIn.Events().Where(e => e["type"]!.GetValue<string>() == "invoice.paid" && e["data"]!["object"]!["billing_reason"]!.GetValue<string>() == "subscription_cycle").ToList();

        Assert.That(started, Is.EqualTo(Start.ToUnixTimeSeconds()));
        Assert.That(advancing.Status, Is.EqualTo("advancing"), "Stripe answers while it advances");
        Assert.That((await new TestClockService(Client).GetAsync(clock.Id)).Status, Is.EqualTo("ready"));
        Assert.That(renewals, Has.Count.EqualTo(1));
        Assert.That(renewals[0]["data"]!["object"]!["created"]!.GetValue<long>(), Is.EqualTo(Start.AddMonths(1).ToUnixTimeSeconds()), "billed at the period's end on the clock");
        Assert.That(StandIn.Events().Select(e => e["type"]!.GetValue<string>()), Is.SupersetOf(new[] { "test_helpers.test_clock.advancing", "test_helpers.test_clock.ready" }));
    }

    [Test]
    public async Task A_clock_only_moves_forward_and_at_most_two_intervals_of_its_shortest_subscription()
    {
        var (clock, _) = await SubscribedOnAClockAsync();
        var clocks = new TestClockService(Client);

        var backwards = await Assert.ThrowsAsync<StripeException>(() => clocks.AdvanceAsync(clock.Id, new TestClockAdvanceOptions { FrozenTime = Start.AddDays(-1).UtcDateTime }));
        var tooFar = await Assert.ThrowsAsync<StripeException>(() => clocks.AdvanceAsync(clock.Id, new TestClockAdvanceOptions { FrozenTime = Start.AddMonths(2).AddDays(1).UtcDateTime }));

        Assert.That(backwards!.StripeError.Param, Is.EqualTo("frozen_time"));
        Assert.That(tooFar!.StripeError.Param, Is.EqualTo("frozen_time"));
        await Assert.DoesNotThrowAsync(() => clocks.AdvanceAsync(clock.Id, new TestClockAdvanceOptions { FrozenTime = Start.AddMonths(2).UtcDateTime }));
    }

    [Test]
    public async Task A_declined_renewal_is_retried_on_the_clock_and_left_past_due_after_the_last_attempt()
    {
        var (clock, subscriptionId) = await SubscribedOnAClockAsync(StripeStandIn.CardAttachesThenDeclines);

        await new TestClockService(Client).AdvanceAsync(clock.Id, new TestClockAdvanceOptions { FrozenTime = Start.AddMonths(1).AddDays(20).UtcDateTime });
        var failures = StandIn.Events().Count(e => e["type"]!.GetValue<string>() == "invoice.payment_failed");
        var invoice = await new InvoiceService(Client).GetAsync(StandIn.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>());

        Assert.That(StandIn.Subscription(subscriptionId)!["status"]!.GetValue<string>(), Is.EqualTo("past_due"));
        Assert.That(failures, Is.EqualTo(4), "the renewal and three retries, three days apart");
        Assert.That(invoice.NextPaymentAttempt, Is.Null);
    }

    [Test]
    public async Task Deleting_a_clock_deletes_its_customers()
    {
        var (clock, subscriptionId) = await SubscribedOnAClockAsync();
        var customer = StandIn.Subscription(subscriptionId)!["customer"]!.GetValue<string>();

        var deleted = await new TestClockService(Client).DeleteAsync(clock.Id);

        Assert.That(deleted.Deleted, Is.True);
        Assert.That(StandIn.Customer(customer)!["deleted"]!.GetValue<bool>(), Is.True);
    }
}
