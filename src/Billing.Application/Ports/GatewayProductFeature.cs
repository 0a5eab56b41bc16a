namespace Billing.Application.Ports;

/// <summary>A feature attached to a product: the attachment's id, and the feature it attaches.</summary>
public sealed record GatewayProductFeature(string Id, GatewayFeature Feature);
