namespace Billing.Domain.Accounts;

/// <summary>
/// A discount on the subscription: the coupon's terms, the code that brought it, when it stops, and Stripe's id of the
/// discount itself (<see cref="DiscountId"/>, how an event that names it without its terms is recognised).
/// </summary>
public sealed record AppliedDiscount(
    string CouponId,
    string Name,
    string? PromotionCode,
    decimal? PercentOff,
    long? AmountOff,
    DiscountDuration Duration,
    DateTimeOffset? EndsAt,
    string? DiscountId = null)
{
    /// <summary>What an amount comes to with this discount (rounded as Stripe rounds, never below zero).</summary>
    public long AmountAfter(long amount) =>
        PercentOff is { } percent
            ? amount - (long)Math.Round(amount * percent / 100m, MidpointRounding.AwayFromZero)
            : Math.Max(0, amount - (AmountOff ?? 0));
}
