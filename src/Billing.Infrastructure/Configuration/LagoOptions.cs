using Microsoft.Extensions.Configuration;

namespace Billing.Infrastructure.Configuration;

public sealed class LagoOptions
{
    public Uri? ApiUrl { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>Lago plan code per tier; a tier without one has no Lago subscription mirrored.</summary>
    public IReadOnlyDictionary<string, string> PlanCodes { get; init; } = new Dictionary<string, string>();

    /// <summary>The code of Lago's Stripe connection, needed when Lago has several (LAGO_STRIPE_PROVIDER_CODE).</summary>
    public string? StripeProviderCode { get; init; }

    public bool Enabled => ApiUrl is not null;

    public static LagoOptions From(IConfiguration c)
    {
        var raw = Settings.Read(c, "LAGO_API_URL", "Lago:ApiUrl");
        Uri? url = null;
        if (raw is not null && (!Uri.TryCreate(raw, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            throw new SettingException("LAGO_API_URL", "must be an absolute http(s) URL");
        }

        var key = Settings.Read(c, "LAGO_API_KEY", "Lago:ApiKey");
        if (url is not null && key is null)
        {
            throw new SettingException("LAGO_API_KEY", "is required when LAGO_API_URL is set");
        }

        return new LagoOptions
        {
            ApiUrl = url,
            ApiKey = key,
            StripeProviderCode = Settings.Read(c, "LAGO_STRIPE_PROVIDER_CODE", "Lago:StripeProviderCode"),
            PlanCodes = c.GetSection("Lago:PlanCodes").GetChildren()
                .Where(s => !string.IsNullOrWhiteSpace(s.Value))
                .ToDictionary(s => s.Key.ToLowerInvariant(), s => s.Value!),
        };
    }
}
