namespace Billing.Application.Ports;

/// <summary>A subscription schedule as Stripe answered it: the change it holds takes effect at <paramref name="EffectiveAt"/>.</summary>
public sealed record GatewaySchedule(string Id, string SubscriptionId, string PriceId, DateTimeOffset EffectiveAt);
