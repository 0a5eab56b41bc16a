using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>An account and the Stripe customer it is linked to, if any: what reconciliation walks.</summary>
public sealed record AccountLink(string UserId, string? StripeCustomerId);
