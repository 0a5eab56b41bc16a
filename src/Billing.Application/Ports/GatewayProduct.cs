using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

public sealed record GatewayProduct(string Id, string Name, string? Description, IReadOnlyDictionary<string, string> Metadata);
