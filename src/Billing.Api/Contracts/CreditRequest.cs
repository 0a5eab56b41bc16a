namespace Billing.Api.Contracts;

/// <summary>A credit to the customer's balance.</summary>
/// <param name="Amount">Minor units (1000 is 10.00), 1 to 10,000,000; the next invoices use it.</param>
/// <param name="Currency">The account's billing currency (three letters); any other is refused.</param>
/// <param name="Reason">Why, shown in Stripe and in the account's history (at most 500 characters).</param>
public sealed record CreditRequest(long? Amount, string? Currency, string? Reason);
