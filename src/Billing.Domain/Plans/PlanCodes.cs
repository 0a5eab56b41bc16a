namespace Billing.Domain.Plans;

public static class PlanCodes
{
    private static readonly Dictionary<string, Tier> TiersByCode = Enum.GetValues<Tier>()
        .ToDictionary(Code, t => t, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, BillingCycle> CyclesByCode = Enum.GetValues<BillingCycle>()
        .ToDictionary(Code, c => c, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, SubscriptionStatus> StatusesByCode = Enum.GetValues<SubscriptionStatus>()
        .ToDictionary(Code, s => s, StringComparer.OrdinalIgnoreCase);

    /// <summary>The wire name of a tier: <c>professional</c>.</summary>
    public static string Code(this Tier tier) => tier.ToString().ToLowerInvariant();

    public static string Code(this BillingCycle cycle) => cycle.ToString().ToLowerInvariant();

    /// <summary>Stripe's spelling of a status: <c>past_due</c>, <c>incomplete_expired</c>.</summary>
    public static string Code(this SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.IncompleteExpired => "incomplete_expired",
        SubscriptionStatus.PastDue => "past_due",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The Stripe lookup key of the price of a tier in a cycle: <c>professional_monthly</c>.</summary>
    public static string LookupKey(Tier tier, BillingCycle cycle) => $"{tier.Code()}_{cycle.Code()}";

    public static bool TryParseTier(string? code, out Tier tier) => TiersByCode.TryGetValue(code ?? string.Empty, out tier);

    public static bool TryParseCycle(string? code, out BillingCycle cycle) => CyclesByCode.TryGetValue(code ?? string.Empty, out cycle);

    public static bool TryParseStatus(string? code, out SubscriptionStatus status) =>
        StatusesByCode.TryGetValue(code ?? string.Empty, out status);

    /// <summary>Statuses in which a subscription still exists in Stripe and bills or may bill the customer.</summary>
    public static bool IsLive(this SubscriptionStatus status) => status is
        SubscriptionStatus.Incomplete or SubscriptionStatus.Trialing or SubscriptionStatus.Active or
        SubscriptionStatus.PastDue or SubscriptionStatus.Unpaid or SubscriptionStatus.Paused;

    /// <summary>Statuses Stripe never leaves.</summary>
    public static bool IsTerminal(this SubscriptionStatus status) =>
        status is SubscriptionStatus.Canceled or SubscriptionStatus.IncompleteExpired;
}
