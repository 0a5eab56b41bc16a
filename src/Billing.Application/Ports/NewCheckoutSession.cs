using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

public sealed record NewCheckoutSession(
    string CustomerId,
    string UserId,
    string PriceId,
    Tier Tier,
    BillingCycle Cycle,
    string SuccessUrl,
    string CancelUrl,
    DateTimeOffset ExpiresAt,
    string IdempotencyKey,
    int? TrialDays = null,
    bool TrialWithoutCard = false,
    string? PromotionCodeId = null,
    bool AllowPromotionCodes = false,
    string? Currency = null,
    bool AutomaticTax = false,
    int Seats = 1,
    IReadOnlyList<string>? PaymentMethodTypes = null);
