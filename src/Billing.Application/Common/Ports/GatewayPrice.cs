using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

public sealed record GatewayPrice(string Id, string ProductId, string? LookupKey, long UnitAmount, string Currency, string? Interval, bool Active, IReadOnlyDictionary<string, string> Metadata);
