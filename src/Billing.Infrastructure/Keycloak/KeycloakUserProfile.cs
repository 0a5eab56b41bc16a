using System.Text.Json.Nodes;

namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// The billing attributes as the realm's user profile must declare them. Since Keycloak 24 a realm without an
/// unmanaged-attribute policy answers 204 to a PUT carrying undeclared attributes and stores nothing of them, so
/// the service declares its eight attributes (admins edit, users only view) and checks they are still declared.
/// </summary>
internal static class KeycloakUserProfile
{
    /// <summary>Each attribute the service owns, with the longest value it writes.</summary>
    public static readonly IReadOnlyList<(string Name, string DisplayName, int MaxLength)> BillingAttributes =
    [
        ("subscription_tier", "Subscription tier", 32),
        ("subscription_status", "Subscription status", 32),
        ("stripe_customer_id", "Stripe customer", 255),
        ("stripe_subscription_id", "Stripe subscription", 255),
        ("subscription_start_date", "Subscription period start", 10),
        ("subscription_end_date", "Subscription period end", 10),
        (KeycloakOrganizationDirectory.OrganizationAttribute, "Billing organization", 64),
        (EntitlementsAttribute, "Billing entitlements", 2048),
    ];

    /// <summary>The entitlements of the access tier, as compact JSON (<c>{"seats":5,"sso":true}</c>).</summary>
    public const string EntitlementsAttribute = "billing_entitlements";

    /// <summary>
    /// The billing attributes the realm would drop: undeclared, or declared without admin edit, under a policy that
    /// ignores them. <c>billing_organization_id</c> counts only where teams are billed (<paramref name="teams"/>), and
    /// <c>billing_entitlements</c> only where the catalog names entitlements (<paramref name="entitlements"/>), so a
    /// realm set up before they existed keeps working until they are used.
    /// </summary>
    public static IReadOnlyList<string> Undeclared(JsonObject configuration, bool teams = true, bool entitlements = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var written = BillingAttributes.Where(a => (teams || a.Name != KeycloakOrganizationDirectory.OrganizationAttribute) && (entitlements || a.Name != EntitlementsAttribute));
        if (configuration["unmanagedAttributePolicy"]?.GetValue<string>() is "ENABLED" or "ADMIN_EDIT")
        {
            return written.Where(a => Declaration(configuration, a.Name) is { } declared && !AdminEdits(declared)).Select(a => a.Name).ToList();
        }

        return written.Where(a => Declaration(configuration, a.Name) is not { } declared || !AdminEdits(declared)).Select(a => a.Name).ToList();
    }

    /// <summary>
    /// The configuration with every billing attribute declared as the service needs it, and everything else as it
    /// was (PUT replaces the whole configuration). Returns the names it added or changed.
    /// </summary>
    public static IReadOnlyList<string> Declare(JsonObject configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var attributes = configuration["attributes"] as JsonArray ?? [];
        configuration["attributes"] = attributes;
        var changed = new List<string>();
        foreach (var (name, displayName, maxLength) in BillingAttributes)
        {
            var wanted = Wanted(name, displayName, maxLength);
            var current = Declaration(configuration, name);
            if (current is not null && JsonNode.DeepEquals(Comparable(current), Comparable(wanted)))
            {
                continue;
            }

            if (current is not null)
            {
                // Keep what an operator added (annotations, a group) and set what the service relies on.
                foreach (var (key, value) in wanted)
                {
                    current[key] = value?.DeepClone();
                }
            }
            else
            {
                attributes.Add(wanted);
            }

            changed.Add(name);
        }

        return changed;
    }

    private static JsonObject Wanted(string name, string displayName, int maxLength) => new()
    {
        ["name"] = name,
        ["displayName"] = displayName,
        ["permissions"] = new JsonObject { ["view"] = new JsonArray("admin", "user"), ["edit"] = new JsonArray("admin") },
        ["validations"] = new JsonObject { ["length"] = new JsonObject { ["max"] = maxLength } },
        ["multivalued"] = false,
    };

    private static JsonObject Comparable(JsonObject declaration) => new()
    {
        ["name"] = declaration["name"]?.DeepClone(),
        ["displayName"] = declaration["displayName"]?.DeepClone(),
        ["permissions"] = declaration["permissions"]?.DeepClone(),
        ["validations"] = declaration["validations"]?.DeepClone(),
        ["multivalued"] = declaration["multivalued"]?.GetValue<bool>() ?? false,
    };

    private static JsonObject? Declaration(JsonObject configuration, string name) =>
        (configuration["attributes"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => a["name"]?.GetValue<string>() == name);

    private static bool AdminEdits(JsonObject declaration) =>
        declaration["permissions"]?["edit"] is JsonArray edit && edit.Any(r => r?.GetValue<string>() == "admin");
}
