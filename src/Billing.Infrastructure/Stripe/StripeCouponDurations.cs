using Billing.Domain.Accounts;

namespace Billing.Infrastructure.Stripe;

/// <summary>Stripe's coupon durations (<c>once</c>, <c>repeating</c>, <c>forever</c>), read into the domain's and written back.</summary>
internal static class StripeCouponDurations
{
    public static DiscountDuration Of(string? duration) => duration switch
    {
        "forever" => DiscountDuration.Forever,
        "repeating" => DiscountDuration.Repeating,
        _ => DiscountDuration.Once,
    };

    public static string ToStripe(DiscountDuration duration) => duration switch
    {
        DiscountDuration.Forever => "forever",
        DiscountDuration.Repeating => "repeating",
        _ => "once",
    };
}
