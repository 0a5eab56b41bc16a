using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Billing.Api.Infrastructure.OpenApi;

/// <summary>
/// Examples for every schema of the document. Request bodies get hand-written ones that run as they are in Swagger
/// UI (a real tier and cycle); every other schema gets one built from its properties, valued as this API's data
/// looks (Stripe ids, minor-unit amounts, ISO dates), so nothing reads <c>"string"</c>.
/// </summary>
internal static class BillingExamples
{
    /// <summary>What a caller would send, by request schema; each runs as it is against a fresh account or the stand-ins.</summary>
    public static readonly IReadOnlyDictionary<string, JsonObject> Requests = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
    {
        ["CheckoutRequest"] = new() { ["tier_id"] = "professional", ["billing_cycle"] = "monthly" },
        ["OrganizationCheckoutRequest"] = new() { ["tier_id"] = "professional", ["billing_cycle"] = "monthly", ["seats"] = 5 },
        ["SeatsRequest"] = new() { ["seats"] = 5 },
        ["ChangeTierRequest"] = new() { ["new_tier_id"] = "enterprise", ["billing_cycle"] = "monthly" },
        ["CancelRequest"] = new() { ["at_period_end"] = true },
        ["ExtendTrialRequest"] = new() { ["days"] = 7 },
        ["CreditRequest"] = new() { ["amount"] = 1000, ["currency"] = "usd", ["reason"] = "Outage on 3 December: one week of professional" },
        ["PromotionCodeRequest"] = new() { ["code"] = "LAUNCH20" },
        ["RefundRequest"] = new() { ["invoice_id"] = "in_1QaBcDeFgHiJkLmN", ["reason"] = "requested_by_customer" },
        ["ReconcileRequest"] = new() { ["user_id"] = "8d5c0b5e-4f7a-4b8e-9a51-2f1c3d7e6a90", ["dry_run"] = true },
        ["UsageBatchRequest"] = new()
        {
            ["events"] = new JsonArray(new JsonObject
            {
                ["transaction_id"] = "call-2026-11-27-000001",
                ["user_id"] = "8d5c0b5e-4f7a-4b8e-9a51-2f1c3d7e6a90",
                ["code"] = "api_calls",
                ["timestamp"] = "2026-11-27T10:00:00Z",
                ["properties"] = new JsonObject { ["calls"] = 1 },
            }),
        },
    };

    /// <summary>The fields a request must carry (the validators refuse it otherwise), by request schema.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RequiredRequestFields = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["CheckoutRequest"] = ["tier_id", "billing_cycle"],
        ["ChangeTierRequest"] = ["new_tier_id"],
        ["ExtendTrialRequest"] = ["days"],
        ["CreditRequest"] = ["amount", "currency", "reason"],
        ["PromotionCodeRequest"] = ["code"],
        ["RefundRequest"] = ["invoice_id", "reason"],
        ["ReconcileRequest"] = ["user_id"],
        ["UsageBatchRequest"] = ["events"],
        ["UsageEventInput"] = ["transaction_id", "user_id", "code"],
    };

    /// <summary>
    /// An example for a schema, following references through the document; depth-limited, since a schema may contain
    /// itself. <paramref name="owner"/> is the schema whose properties these are: an <c>id</c> looks like its kind's.
    /// </summary>
    public static JsonNode? For(IOpenApiSchema schema, string property, OpenApiDocument document, int depth = 0, string? owner = null)
    {
        if (depth > 6)
        {
            return null;
        }

        if (schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id && document.Components?.Schemas?.TryGetValue(id, out var target) == true)
        {
            return target.Examples is { Count: > 0 } known ? known[0]?.DeepClone() : For(target, property, document, depth + 1, id);
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            var words = values.Where(v => v is JsonValue).Select(v => v!.ToString()).ToArray();
            return words.Length > 0 ? BillingVocabulary.Preferred(words) : values[0]?.DeepClone();
        }

        var type = (schema.Type ?? 0) & ~JsonSchemaType.Null;
        if (type.HasFlag(JsonSchemaType.Array))
        {
            var item = schema.Items is null ? null : For(schema.Items, Singular(property), document, depth + 1, owner);
            return item is null ? new JsonArray() : new JsonArray(item);
        }

        if (property == "features" && schema.AdditionalProperties is not null)
        {
            return new JsonObject { ["api_calls_per_month"] = 100000, ["projects"] = 100, ["sso"] = false };
        }

        if (type.HasFlag(JsonSchemaType.Object) || schema.Properties is { Count: > 0 })
        {
            var example = new JsonObject();
            foreach (var (name, child) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                example[name] = For(child, name, document, depth + 1, owner);
            }

            if (example.Count == 0 && schema.AdditionalProperties is { } values2)
            {
                example[Key(property)] = For(values2, property, document, depth + 1, owner);
            }

            return example;
        }

        return type switch
        {
            JsonSchemaType.Integer => Integer(property),
            JsonSchemaType.Number => 0.2,
            JsonSchemaType.Boolean => false,
            JsonSchemaType.String => Text(property, schema.Format, owner),
            _ => null,
        };
    }

    private static string Singular(string property) => property.EndsWith("ies", StringComparison.Ordinal) ? property[..^3] + "y" : property.TrimEnd('s');

    private static string Key(string property) => property switch
    {
        "errors" => "tier_id",
        _ => "usd",
    };

    private static JsonNode Integer(string property) => property switch
    {
        "status" => 200,
        "id" => 1042,
        "days" => 7,
        "trial_days" => 14,
        "credit" or "credit_balance" => 1000,
        "owed" => 0,
        "limit" => 50,
        "months" => 12,
        "attempts" or "attempt" => 1,
        "version" or "account_version" => 3,
        "seats" => 5,
        "members" => 4,
        "min_seats" => 1,
        "exp_month" => 12,
        "exp_year" => 2030,
        "max_seats" => 50,
        _ when property.Contains("count", StringComparison.Ordinal) || property.StartsWith("accounts", StringComparison.Ordinal) || property is "accepted" or "duplicates" or "rejected" or "repaired" or "subscriptions" => 1,
        _ when property.Contains("percent", StringComparison.Ordinal) => 20,
        _ when property.Contains("tax", StringComparison.Ordinal) => 0,
        _ => 4900,
    };

    private static JsonNode Text(string property, string? format, string? owner) => format switch
    {
        "date-time" => "2026-11-27T10:00:00+00:00",
        "date" => "2026-11-27",
        "uuid" => "3f2c9a4e-8b1d-4c6e-9f0a-7d5b2e1c4a38",
        "uri" => "https://billing.example.com/",
        _ => property switch
        {
            "id" => IdOf(owner),
            "event_id" => "evt_1QaBcDeFgHiJkLmN",
            "user_id" or "admin_id" or "target" => "8d5c0b5e-4f7a-4b8e-9a51-2f1c3d7e6a90",
            "organization_id" => "3f2b8c1a-6d4e-4a7b-9c2d-1e5f7a9b3c4d",
            "email" => "ada@example.com",
            "currency" or "billing_currency" => "usd",
            "lookup_key" => "professional_monthly",
            "highlight" => "100 projects",
            "transaction_id" => "cbtxn_1QaBcDeFgHiJkLmN",
            "tax_behavior" => "exclusive",
            "trace_id" => "4bf92f3577b34da6a3ce929d0e0e4736",
            "type" when format is null => "customer.subscription.updated",
            _ when property.EndsWith("customer_id", StringComparison.Ordinal) => "cus_QaBcDeFgHiJkLm",
            _ when property.EndsWith("subscription_id", StringComparison.Ordinal) => "sub_1QaBcDeFgHiJkLmN",
            _ when property.EndsWith("session_id", StringComparison.Ordinal) => "cs_test_a1B2c3D4e5F6g7H8",
            _ when property.EndsWith("invoice_id", StringComparison.Ordinal) => "in_1QaBcDeFgHiJkLmN",
            _ when property.EndsWith("price_id", StringComparison.Ordinal) => "price_1QaBcDeFgHiJkLmN",
            _ when property.EndsWith("url", StringComparison.Ordinal) => "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8",
            _ when property.Contains("brand", StringComparison.Ordinal) => "visa",
            _ when property.Contains("last4", StringComparison.Ordinal) => "4242",
            _ when property.Contains("code", StringComparison.Ordinal) => "LAUNCH20",
            _ when property is "detail" or "description" or "message" or "outcome" or "result" or "last_error" or "reason" => "Account 8d5c0b5e is now professional / active.",
            _ when property is "title" or "name" or "display_name" => "Professional",
            _ => property.Length == 0 ? "text" : property.Replace('_', ' '),
        },
    };

    /// <summary>An object's own id, by its schema: Stripe's prefix for that kind of object (an event's otherwise).</summary>
    private static string IdOf(string? owner) => owner switch
    {
        "InvoiceView" => "in_1QaBcDeFgHiJkLmN",
        "PaymentMethodView" => "pm_1QaBcDeFgHiJkLmN",
        "DisputeView" => "dp_1QaBcDeFgHiJkLmN",
        _ => "evt_1QaBcDeFgHiJkLmN",
    };
}
