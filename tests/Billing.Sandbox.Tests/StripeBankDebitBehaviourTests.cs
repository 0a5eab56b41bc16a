using Billing.Sandbox.Stripe;
using Stripe;
using Stripe.Checkout;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The stand-in's SEPA Direct Debit behaves as Stripe documents a delayed-notification method: euros only, a checkout
/// that completes unpaid, a debit processing for days, then <c>async_payment_succeeded</c> or <c>_failed</c>.
/// </summary>
public sealed class StripeBankDebitBehaviourTests : StripeStandInFixture
{

    protected override Task SeedAsync() => SeedPlanAsync(1700, "eur");

    private async Task<Session> SessionAsync(string currency, params string[] allowed)
    {
        var customer = await new CustomerService(Client).CreateAsync(new CustomerCreateOptions { Email = "ada@example.com" });
        var price = (await new PriceService(Client).ListAsync(new PriceListOptions { LookupKeys = ["starter_monthly"] })).Single();
        return await new SessionService(Client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            Currency = currency,
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/done",
            AllowedPaymentMethodTypes = allowed.Length == 0 ? null : [.. allowed],
        });
    }

    private IEnumerable<string> EventTypes() => StandIn.Events().Select(e => e["type"]!.GetValue<string>());

    [Test]
    public async Task A_fixed_list_with_sepa_debit_outside_euros_is_refused_with_Stripes_currency_error()
    {
        var customer = await new CustomerService(Client).CreateAsync(new CustomerCreateOptions());
        var dollars = await new PriceService(Client).CreateAsync(new PriceCreateOptions { Product = "prod_plan", UnitAmount = 1900, Currency = "usd", Recurring = new PriceRecurringOptions { Interval = "month" } });
        var options = new SessionCreateOptions { Mode = "subscription", Customer = customer.Id, LineItems = [new SessionLineItemOptions { Price = dollars.Id, Quantity = 1 }], SuccessUrl = "https://app.example/done", Currency = "usd" };
        options.AddExtraParam("payment_method_types[0]", "sepa_debit");

        var refused = await Assert.ThrowsAsync<StripeException>(() => new SessionService(Client).CreateAsync(options));

        Assert.That(refused!.StripeError.Param, Is.EqualTo("payment_method_types"));
        Assert.That(refused.StripeError.Message, Does.StartWith("The currency provided (usd) is invalid for one or more payment method types"));
    }

    [Test]
    public async Task Allowed_payment_method_types_filter_out_a_debit_the_currency_rules_out()
    {
        var euros = await SessionAsync("eur", "card", "sepa_debit");

        Assert.That(euros.PaymentMethodTypes, Is.EqualTo(new[] { "card", "sepa_debit" }));
        Assert.That(euros.AllowedPaymentMethodTypes, Is.EqualTo(new[] { "card", "sepa_debit" }));
    }

    [Test]
    public async Task A_debit_checkout_completes_unpaid_and_succeeds_days_later()
    {
        var session = await SessionAsync("eur", "card", "sepa_debit");

        var completed = StandIn.CompleteCheckout(session.Id, StripeStandIn.IbanSucceeds).Body;
        var subscription = StandIn.Subscription(completed["subscription"]!.GetValue<string>())!;
        var invoice = await new InvoiceService(Client).GetAsync(completed["invoice"]!.GetValue<string>());

        Assert.That(completed["status"]!.GetValue<string>(), Is.EqualTo("complete"));
        Assert.That(completed["payment_status"]!.GetValue<string>(), Is.EqualTo("unpaid"));
        Assert.That(subscription["status"]!.GetValue<string>(), Is.EqualTo("active"), "the subscription runs while its first debit is processing");
        Assert.That(invoice.Status, Is.EqualTo("open"));
        Assert.That(EventTypes(), Does.Contain("payment_intent.processing"));
        Assert.That(EventTypes(), Does.Not.Contain("checkout.session.async_payment_succeeded"));

        Assert.That(StandIn.SettleDebits(), Is.EqualTo(1));

        Assert.That((await new InvoiceService(Client).GetAsync(invoice.Id)).Status, Is.EqualTo("paid"));
        Assert.That(StandIn.Session(session.Id)!["payment_status"]!.GetValue<string>(), Is.EqualTo("paid"));
        Assert.That(EventTypes(), Does.Contain("checkout.session.async_payment_succeeded"));
        Assert.That(StandIn.SettleDebits(), Is.Zero, "a debit settles once");
    }

    [Test]
    public async Task A_debit_that_fails_leaves_the_invoice_open_unretried_and_the_subscription_past_due()
    {
        var session = await SessionAsync("eur", "sepa_debit");
        var completed = StandIn.CompleteCheckout(session.Id, StripeStandIn.IbanFails).Body;

        StandIn.SettleDebits();
        var invoice = await new InvoiceService(Client).GetAsync(completed["invoice"]!.GetValue<string>());

        Assert.That(invoice.Status, Is.EqualTo("open"));
        Assert.That(invoice.NextPaymentAttempt, Is.Null, "Stripe does not retry a failed debit by itself");
        Assert.That(StandIn.Subscription(completed["subscription"]!.GetValue<string>())!["status"]!.GetValue<string>(), Is.EqualTo("past_due"));
        Assert.That(EventTypes(), Is.SupersetOf(new[] { "payment_intent.payment_failed", "invoice.payment_failed", "checkout.session.async_payment_failed" }));
    }

    [Test]
    public async Task An_IBAN_on_a_session_that_takes_only_cards_is_refused()
    {
        var session = await SessionAsync("eur", "card");

        var refused = StandIn.CompleteCheckout(session.Id, StripeStandIn.IbanSucceeds);

        Assert.That(refused.Status, Is.EqualTo(400));
        Assert.That(StandIn.Session(session.Id)!["status"]!.GetValue<string>(), Is.EqualTo("open"));
    }
}
