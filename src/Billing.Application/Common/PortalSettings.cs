namespace Billing.Application.Common;

/// <summary>
/// The customer portal as <c>catalog sync</c> configures it (<c>Billing:Portal</c>): the business's links and headline,
/// and the reasons a cancelling customer may give.
/// </summary>
public sealed class PortalSettings
{
    /// <summary>Stripe's cancellation reasons, all offered by default.</summary>
    public static readonly IReadOnlyList<string> StripeCancellationReasons =
        ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"];

    public string? Headline { get; set; }

    public string? PrivacyPolicyUrl { get; set; }

    public string? TermsOfServiceUrl { get; set; }

    /// <summary>The reasons offered when cancelling; empty means all of Stripe's.</summary>
    public List<string> CancellationReasons { get; set; } = [];
}
