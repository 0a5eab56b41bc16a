using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

public sealed record GatewayProduct(string Id, string Name, string? Description, IReadOnlyDictionary<string, string> Metadata);
