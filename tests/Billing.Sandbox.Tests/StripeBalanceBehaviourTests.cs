using Billing.Sandbox.Stripe;
using Stripe;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The stand-in's customer balance behaves as Stripe's reference says: a negative transaction is a credit in the
/// customer's currency, it moves the balance, and the next invoice uses it.
/// </summary>
public sealed class StripeBalanceBehaviourTests : StripeStandInFixture
{

    protected override Task SeedAsync() => SeedPlanAsync();

    [Test]
    public async Task A_credit_moves_the_balance_in_the_customers_currency_and_the_next_invoice_uses_it()
    {
        var (customer, subscription) = StandIn.SeedSubscription("starter_monthly", "u1");
        var transactions = new CustomerBalanceTransactionService(Client);

        var credit = await transactions.CreateAsync(customer, new CustomerBalanceTransactionCreateOptions { Amount = -1000, Currency = "usd", Description = "Outage" });
        var foreign = await Assert.ThrowsAsync<StripeException>(() => transactions.CreateAsync(customer, new CustomerBalanceTransactionCreateOptions { Amount = -1000, Currency = "eur" }));
        var renewal = StandIn.RenewNow(subscription).Body;

        Assert.That(credit.Type, Is.EqualTo("adjustment"));
        Assert.That(credit.EndingBalance, Is.EqualTo(-1000));
        Assert.That(foreign!.StripeError.Param, Is.EqualTo("currency"));
        Assert.That(renewal["starting_balance"]!.GetValue<long>(), Is.EqualTo(-1000));
        Assert.That(renewal["ending_balance"]!.GetValue<long>(), Is.Zero);
        Assert.That(renewal["amount_due"]!.GetValue<long>(), Is.EqualTo(900), "1900 less the 1000 of credit");
        Assert.That(StandIn.Customer(customer)!["balance"]!.GetValue<long>(), Is.Zero);
    }
}
