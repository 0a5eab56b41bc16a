using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Stripe's request parameters: form-encoded bodies and queries with deepObject nesting
/// (<c>line_items[0][price]</c>, <c>metadata[k]</c>) and arrays as <c>k[]</c> or <c>k[0]</c>.
/// </summary>
public sealed class StripeParams
{
    private readonly Dictionary<string, StringValues> _values;

    private StripeParams(Dictionary<string, StringValues> values) => _values = values;

    public static async Task<StripeParams> ReadAsync(HttpRequest request)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            values[key] = value;
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
            {
                values[key] = value;
            }
        }

        return new StripeParams(values);
    }

    public IEnumerable<string> Keys() => _values.Keys;

    public bool Has(string key) => _values.ContainsKey(key) || _values.Keys.Any(k => k.StartsWith(key + "[", StringComparison.Ordinal));

    public string? Str(string key) => _values.TryGetValue(key, out var v) ? v.ToString() : null;

    public long? Long(string key) => long.TryParse(Str(key), out var n) ? n : null;

    public bool? Bool(string key) => Str(key) switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    /// <summary>One level of a hash parameter: <c>metadata[a]=1</c> gives {a: 1}.</summary>
    public Dictionary<string, string> Map(string prefix) => _values
        .Where(p => p.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && p.Key.EndsWith(']') && p.Key.IndexOf('[', prefix.Length + 1) < 0)
        .ToDictionary(p => p.Key[(prefix.Length + 1)..^1], p => p.Value.ToString(), StringComparer.Ordinal);

    public List<string> List(string name)
    {
        var result = new List<string>();
        if (_values.TryGetValue(name + "[]", out var plain))
        {
            result.AddRange(plain.Select(v => v ?? string.Empty));
        }

        result.AddRange(_values
            .Where(p => p.Key.StartsWith(name + "[", StringComparison.Ordinal) && p.Key.EndsWith(']') && int.TryParse(p.Key[(name.Length + 1)..^1], out _))
            .OrderBy(p => int.Parse(p.Key[(name.Length + 1)..^1], System.Globalization.CultureInfo.InvariantCulture))
            .Select(p => p.Value.ToString()));
        return result;
    }

    /// <summary>A fingerprint of all parameters, to tell a retried request from another one under the same idempotency key.</summary>
    public string Fingerprint()
    {
        var canonical = string.Join('&', _values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
