using Refit;

namespace Billing.Infrastructure.Lago;

/// <summary>Sent only when the Lago customer has no Stripe link yet: every later upsert carrying it makes Lago overwrite the Stripe customer.</summary>
public sealed record LagoBillingConfiguration(string PaymentProvider, string ProviderCustomerId, bool Sync, string? PaymentProviderCode);
