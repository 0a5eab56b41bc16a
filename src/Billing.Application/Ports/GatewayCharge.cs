namespace Billing.Application.Ports;

/// <summary>A charge as Stripe holds it: whose it is and what it took (a charge of no payment intent too).</summary>
public sealed record GatewayCharge(string Id, string? CustomerId, long Amount, string Currency);
