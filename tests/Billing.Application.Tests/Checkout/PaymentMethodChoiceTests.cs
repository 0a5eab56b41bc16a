using Billing.Application.Checkout.Create;

namespace Billing.Application.Tests.Checkout;

/// <summary>Which ways to pay a checkout offers: a bank debit only in its own currency, never one not offered here.</summary>
public sealed class PaymentMethodChoiceTests
{
    private static readonly string[] Offered = ["card", "sepa_debit"];

    [Test]
    public void By_default_every_offered_way_that_takes_the_currency_is_offered()
    {
        Assert.That(PaymentMethodChoice.For(null, Offered, "eur").Value, Is.EqualTo(new[] { "card", "sepa_debit" }));
        Assert.That(PaymentMethodChoice.For(null, Offered, "usd").Value, Is.EqualTo(new[] { "card" }));
    }

    [Test]
    public void SEPA_debit_asked_for_in_dollars_is_not_available()
    {
        var refused = PaymentMethodChoice.For(["sepa_debit"], Offered, "usd");

        Assert.That(refused.Error!.Code, Is.EqualTo("payment_method_not_available"));
        Assert.That(refused.Error.Field, Is.EqualTo("payment_method_types"));
        Assert.That(refused.Error.Detail, Does.Contain("EUR only"));
    }

    [Test]
    public void A_way_to_pay_not_offered_here_is_not_available()
    {
        Assert.That(PaymentMethodChoice.For(["us_bank_account"], Offered, "usd").Error!.Code, Is.EqualTo("payment_method_not_available"));
    }

    [Test]
    public void When_no_offered_way_takes_the_currency_the_checkout_is_refused()
    {
        Assert.That(PaymentMethodChoice.For(null, ["sepa_debit"], "usd").Error!.Code, Is.EqualTo("payment_method_not_available"));
    }

    [Test]
    public void An_asked_list_is_kept_in_its_order_once_each()
    {
        Assert.That(PaymentMethodChoice.For(["SEPA_DEBIT", "card", "sepa_debit"], Offered, "eur").Value, Is.EqualTo(new[] { "sepa_debit", "card" }));
    }
}
