namespace Billing.Application.Ports;

/// <summary>A product a portal customer may switch to, with the prices of it they may choose.</summary>
public sealed record PortalProduct(string ProductId, IReadOnlyList<string> PriceIds);
