namespace Billing.Sandbox.Lago;

/// <summary>What Lago wrote over the Stripe customer's own fields (L3): empty where Lago never received a value.</summary>
public sealed record StripeCustomerOverwrite(string StripeCustomerId, string Name, string Email, string Phone, string AddressLine1);
