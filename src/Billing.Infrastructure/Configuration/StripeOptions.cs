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

    /// <summary>
    /// A Stripe test clock (<c>clock_…</c>) that every customer this service makes is put on, so a rehearsal in test
    /// mode (or the sandbox) can move time; refused with a live key.
    /// </summary>
    public string? TestClock { get; set; }

    public static StripeOptions From(IConfiguration c)
    {
        var secrets = Settings.Read(c, "STRIPE_WEBHOOK_SECRET", "Stripe:WebhookSecret") ?? string.Empty;
        var apiBase = Settings.Read(c, "STRIPE_API_BASE", "Stripe:ApiBase");
        var apiKey = Settings.Read(c, "STRIPE_API_KEY", "STRIPE_SECRET_KEY", "Stripe:ApiKey");
        var testClock = Settings.Read(c, "STRIPE_TEST_CLOCK", "Stripe:TestClock");
        if (testClock is not null && (apiKey?.StartsWith("sk_live_", StringComparison.Ordinal) == true || apiKey?.StartsWith("rk_live_", StringComparison.Ordinal) == true))
        {
            throw new SettingException("STRIPE_TEST_CLOCK", "is for test mode only; a live key has no test clocks");
        }

        if (testClock is not null && !testClock.StartsWith("clock_", StringComparison.Ordinal))
        {
            throw new SettingException("STRIPE_TEST_CLOCK", "must be a test clock's id (clock_…)");
        }

        return new StripeOptions
        {
            ApiKey = apiKey,
            TestClock = testClock,
            WebhookSecrets = secrets.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ApiBase = apiBase is null ? null : Uri.TryCreate(apiBase, UriKind.Absolute, out var u) ? u : throw new SettingException("STRIPE_API_BASE", "must be an absolute URL"),
        };
    }
}
