using Microsoft.Extensions.Configuration;

namespace Billing.Infrastructure.Configuration;

public sealed class StripeOptions
{
    public string? ApiKey { get; set; }

    /// <summary>Every webhook signing secret accepted now; more than one during a rotation.</summary>
    public IReadOnlyList<string> WebhookSecrets { get; set; } = [];

    /// <summary>A Stripe-compatible base URL (a stand-in); Stripe's own when unset.</summary>
    public Uri? ApiBase { get; set; }

    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    public static StripeOptions From(IConfiguration c)
    {
        var secrets = Settings.Read(c, "STRIPE_WEBHOOK_SECRET", "Stripe:WebhookSecret") ?? string.Empty;
        var apiBase = Settings.Read(c, "STRIPE_API_BASE", "Stripe:ApiBase");
        return new StripeOptions
        {
            ApiKey = Settings.Read(c, "STRIPE_API_KEY", "STRIPE_SECRET_KEY", "Stripe:ApiKey"),
            WebhookSecrets = secrets.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ApiBase = apiBase is null ? null : Uri.TryCreate(apiBase, UriKind.Absolute, out var u) ? u : throw new SettingException("STRIPE_API_BASE", "must be an absolute URL"),
        };
    }
}
