using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

public sealed record NewPrice(string ProductId, string LookupKey, long UnitAmount, string Currency, string Interval, bool TransferLookupKey, IReadOnlyDictionary<string, string> Metadata, string IdempotencyKey);
