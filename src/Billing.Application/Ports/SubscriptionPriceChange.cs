using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

public sealed record SubscriptionPriceChange(
    string SubscriptionId,
    string ItemId,
    string NewPriceId,
    string ProrationBehavior,
    IReadOnlyDictionary<string, string> Metadata,
    string IdempotencyKey,
    bool? CancelAtPeriodEnd = null,
    bool AutomaticTax = false);
