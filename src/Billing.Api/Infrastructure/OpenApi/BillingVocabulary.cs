using System.Text.Json.Nodes;
using Billing.Domain.Plans;

namespace Billing.Api.Infrastructure.OpenApi;

/// <summary>
/// The closed sets of words the API speaks (tiers, cycles, statuses), as OpenAPI enums on the properties that carry
/// them, so a frontend's generated types name them instead of taking any string.
/// </summary>
internal static class BillingVocabulary
{
    public static readonly string[] Tiers = Enum.GetValues<Tier>().Select(t => t.Code()).ToArray();

    public static readonly string[] Cycles = Enum.GetValues<BillingCycle>().Select(c => c.Code()).ToArray();

    /// <summary>Stripe's statuses, and <c>pending_payment</c>: a first payment by bank debit still on its way.</summary>
    public static readonly string[] SubscriptionStatuses = [.. Enum.GetValues<SubscriptionStatus>().Select(s => s.Code()), Application.Accounts.AccountProjection.PendingPayment];

    public static readonly string[] InvoiceStatuses = ["draft", "open", "paid", "uncollectible", "void"];

    /// <summary>The ways to pay Checkout may offer (a card, or a bank debit in its own currency).</summary>
    public static readonly string[] WaysToPay = [.. Application.Common.WaysToPay.Known];

    /// <summary>
    /// The set a property takes its values from, by its name and the schema that holds it (for a list, the set of its
    /// items); null for a free string.
    /// </summary>
    public static string[]? For(string schemaName, string property) => property switch
    {
        "tier_id" or "tier" or "access_tier" or "from_tier" or "to_tier" or "current_tier" => Tiers,
        "billing_cycle" or "cycle" or "from_cycle" or "to_cycle" => Cycles,
        "status" when schemaName is "SubscriptionStatusView" or "AccountSubscriptionView" => SubscriptionStatuses,
        "status" when schemaName.StartsWith("Invoice", StringComparison.Ordinal) => InvoiceStatuses,
        "type" when schemaName == "PaymentMethodView" => WaysToPay,
        "payment_method_types" => WaysToPay,
        _ => null,
    };

    /// <summary>The value an example shows for a property of this set: the one a newcomer would try first.</summary>
    public static JsonNode Preferred(string[] values) =>
        values.Contains("professional") ? "professional" : values.Contains("monthly") ? "monthly" : values.Contains("active") ? "active" : values.Contains("paid") ? "paid" : values[0];
}
