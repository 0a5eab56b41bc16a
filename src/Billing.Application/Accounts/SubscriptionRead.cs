using Billing.Application.Ports;

namespace Billing.Application.Accounts;

/// <summary>
/// A subscription read from Stripe, dated by Stripe's clock when it answered. <see cref="Fresh"/>: asked just now, so
/// newer than everything that reached the service before; otherwise the lane's earlier read, as of its own time.
/// </summary>
public sealed record SubscriptionRead(GatewaySubscription Subscription, DateTimeOffset ReadAt, bool Fresh);
