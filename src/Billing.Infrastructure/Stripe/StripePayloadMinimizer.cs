using System.Text.Json.Nodes;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// What of a Stripe event is kept: everything processing reads (ids, statuses, amounts, periods, metadata), and no
/// personal data: names, e-mail addresses, phone numbers, addresses and shipping details are removed wherever they
/// appear, and a card keeps only its brand and last four digits. Runs after the signature is verified on the raw
/// body, before the event is stored.
/// </summary>
internal static class StripePayloadMinimizer
{
    private static readonly HashSet<string> Personal = new(StringComparer.Ordinal)
    {
        "name", "email", "phone", "address", "shipping", "shipping_details", "billing_details", "customer_details",
        "customer_email", "customer_name", "customer_phone", "customer_address", "customer_shipping", "customer_tax_ids",
        "receipt_email", "tax_ids", "evidence",
    };

    private static readonly HashSet<string> CardKept = new(StringComparer.Ordinal) { "brand", "last4" };

    public static string Minimize(string payload)
    {
        if (JsonNode.Parse(payload) is not JsonObject root || root["data"] is not JsonObject data)
        {
            return payload;
        }

        Strip(data);
        return root.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    // Metadata is the integrator's own (keycloak_user_id, tier): kept as written.
                    if (key == "metadata")
                    {
                        continue;
                    }

                    if (Personal.Contains(key))
                    {
                        obj.Remove(key);
                    }
                    else if (key == "card" && obj[key] is JsonObject card)
                    {
                        foreach (var field in card.Select(p => p.Key).Where(k => !CardKept.Contains(k)).ToList())
                        {
                            card.Remove(field);
                        }
                    }
                    else
                    {
                        Strip(obj[key]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item);
                }

                break;
        }
    }
}
