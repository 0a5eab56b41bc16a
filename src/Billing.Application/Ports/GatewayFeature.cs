namespace Billing.Application.Ports;

/// <summary>A feature as the payment provider holds it (an empty <paramref name="Id"/> for one still to be created).</summary>
public sealed record GatewayFeature(string Id, string LookupKey, string Name, IReadOnlyDictionary<string, string> Metadata);
