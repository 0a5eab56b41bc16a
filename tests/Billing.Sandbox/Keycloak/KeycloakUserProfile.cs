using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Billing.Sandbox.Keycloak;

/// <summary>
/// Keycloak's declarative user profile (24 and later), as far as the admin API shows it:
/// <list type="bullet">
/// <item>attributes the profile does not declare are dropped from a PUT with 204 unless
/// <c>unmanagedAttributePolicy</c> is <c>ENABLED</c> or <c>ADMIN_EDIT</c>; existing ones are kept, and shown to
/// the admin API only under <c>ENABLED</c>, <c>ADMIN_VIEW</c> or <c>ADMIN_EDIT</c>;</item>
/// <item>a declared attribute is written by the admin API only when its <c>edit</c> permission holds <c>admin</c>;
/// single-valued ones refuse a second value, and values are at most 2048 characters unless a length validator
/// says otherwise (400);</item>
/// <item>a PUT with an attributes map removes every admin-editable attribute it leaves out.</item>
/// </list>
/// </summary>
public sealed partial class KeycloakUserProfile
{
    private const int DefaultMaxLength = 2048;
    private static readonly string[] RootAttributes = ["username", "email", "firstName", "lastName"];
    private readonly Lock _gate = new();
    private JsonObject _configuration = Default();

    /// <summary>The stored configuration, as <c>GET …/users/profile</c> returns it.</summary>
    public JsonObject Configuration
    {
        get
        {
            lock (_gate)
            {
                return _configuration.DeepClone().AsObject();
            }
        }
    }

    /// <summary>Sets the unmanaged attribute policy directly (null: the field is absent, as in a brand-new realm).</summary>
    public void SetUnmanagedAttributePolicy(string? policy)
    {
        lock (_gate)
        {
            if (policy is null)
            {
                _configuration.Remove("unmanagedAttributePolicy");
            }
            else
            {
                _configuration["unmanagedAttributePolicy"] = policy;
            }
        }
    }

    /// <summary>Replaces the whole configuration after validating it; returns the reason it is invalid, or null.</summary>
    public string? Replace(JsonObject configuration)
    {
        if (configuration["attributes"] is not JsonArray attributes)
        {
            return "The configuration must have an attributes array.";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            if (attribute?["name"]?.GetValue<string>() is not { } name || !AttributeName().IsMatch(name))
            {
                return "Invalid attribute name.";
            }

            if (!names.Add(name))
            {
                return $"Duplicated attribute name: {name}.";
            }

            foreach (var kind in new[] { "view", "edit" })
            {
                if (attribute["permissions"]?[kind] is JsonArray roles && roles.Any(r => r?.GetValue<string>() is not ("admin" or "user")))
                {
                    return $"Invalid permission role for {name}: only admin and user.";
                }
            }
        }

        foreach (var root in RootAttributes)
        {
            if (!names.Contains(root))
            {
                return $"The {root} attribute cannot be removed.";
            }
        }

        if (configuration["unmanagedAttributePolicy"]?.GetValue<string>() is { } policy && policy is not ("ENABLED" or "ADMIN_VIEW" or "ADMIN_EDIT"))
        {
            return $"Invalid unmanagedAttributePolicy: {policy}.";
        }

        lock (_gate)
        {
            _configuration = configuration.DeepClone().AsObject();
        }

        return null;
    }

    public bool IsVisibleToAdmin(string name)
    {
        lock (_gate)
        {
            return Declared(name) is not null || Policy() is "ENABLED" or "ADMIN_VIEW" or "ADMIN_EDIT";
        }
    }

    /// <summary>Keycloak's validation of a PUT's attributes: null when valid, otherwise the 400 body.</summary>
    public object? Check(JsonObject sent)
    {
        lock (_gate)
        {
            foreach (var (name, value) in sent)
            {
                if (Declared(name) is not { } declared || !AdminEdits(declared))
                {
                    continue;
                }

                var values = Values(value);
                if (declared["multivalued"]?.GetValue<bool>() != true && values.Count > 1)
                {
                    return new { field = name, errorMessage = "error-invalid-multivalued-size", @params = new[] { name, "0", "1" } };
                }

                var max = declared["validations"]?["length"]?["max"]?.GetValue<int>() ?? DefaultMaxLength;
                if (values.Any(v => v.Length > max))
                {
                    return new { field = name, errorMessage = "error-invalid-length-too-long", @params = new[] { name, "0", max.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
                }
            }

            return null;
        }
    }

    /// <summary>The user's attributes after an admin PUT that carried <paramref name="sent"/>.</summary>
    public Dictionary<string, List<string>> Apply(Dictionary<string, List<string>> current, JsonObject sent)
    {
        lock (_gate)
        {
            var unmanagedWritable = Policy() is "ENABLED" or "ADMIN_EDIT";
            var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (name, values) in current)
            {
                var declared = Declared(name);
                var editable = declared is not null ? AdminEdits(declared) : unmanagedWritable;

                // What the admin may not edit stays as it was; what it may edit is replaced by what was sent.
                if (!editable)
                {
                    result[name] = values;
                }
            }

            foreach (var (name, value) in sent)
            {
                var declared = Declared(name);
                var editable = declared is not null ? AdminEdits(declared) : unmanagedWritable;
                if (editable && Values(value) is { Count: > 0 } values)
                {
                    result[name] = values;
                }
            }

            return result;
        }
    }

    private string? Policy() => _configuration["unmanagedAttributePolicy"]?.GetValue<string>();

    private JsonObject? Declared(string name) =>
        (_configuration["attributes"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => a["name"]?.GetValue<string>() == name);

    private static bool AdminEdits(JsonObject declared) =>
        declared["permissions"]?["edit"] is JsonArray edit && edit.Any(r => r?.GetValue<string>() == "admin");

    private static List<string> Values(JsonNode? value) => value switch
    {
        JsonArray array => array.Select(v => v?.ToString() ?? string.Empty).ToList(),
        null => [],
        _ => [value.ToString()],
    };

    /// <summary>A new realm's profile: the four root attributes, and no unmanaged attribute policy.</summary>
    private static JsonObject Default()
    {
        static JsonObject Root(string name, string display, bool userEdits) => new()
        {
            ["name"] = name,
            ["displayName"] = "${" + display + "}",
            ["permissions"] = new JsonObject
            {
                ["view"] = new JsonArray("admin", "user"),
                ["edit"] = userEdits ? new JsonArray("admin", "user") : new JsonArray("admin"),
            },
            ["validations"] = new JsonObject { ["length"] = new JsonObject { ["max"] = 255 } },
            ["multivalued"] = false,
        };

        return new JsonObject
        {
            ["attributes"] = new JsonArray(
                Root("username", "username", userEdits: false),
                Root("email", "email", userEdits: true),
                Root("firstName", "firstName", userEdits: true),
                Root("lastName", "lastName", userEdits: true)),
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "user-metadata",
                ["displayHeader"] = "User metadata",
                ["displayDescription"] = "Attributes, which refer to user metadata",
            }),
        };
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex AttributeName();
}
