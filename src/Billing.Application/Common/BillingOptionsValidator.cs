using Microsoft.Extensions.Options;

namespace Billing.Application.Common;

/// <summary>Checks the <c>Billing</c> section when the service starts, naming each bad setting, never its value.</summary>
public sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var reason in options.Portal.CancellationReasons.Where(r => !PortalSettings.StripeCancellationReasons.Contains(r)))
        {
            failures.Add($"Billing:Portal:CancellationReasons has {reason}; Stripe's reasons are {string.Join(", ", PortalSettings.StripeCancellationReasons)}.");
        }

        foreach (var (setting, url) in new[] { ("PrivacyPolicyUrl", options.Portal.PrivacyPolicyUrl), ("TermsOfServiceUrl", options.Portal.TermsOfServiceUrl) })
        {
            if (url is { Length: > 0 } && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http"))
            {
                failures.Add($"Billing:Portal:{setting} must be an absolute http(s) URL.");
            }
        }

        foreach (var method in options.Checkout.Methods.Where(m => !WaysToPay.IsKnown(m)))
        {
            failures.Add($"Billing:Checkout:PaymentMethodTypes has {method}; the ways to pay offered are {string.Join(", ", WaysToPay.Known)}.");
        }

        if (options.Checkout.Methods.Count == 0)
        {
            failures.Add("Billing:Checkout:PaymentMethodTypes must name at least one way to pay (card, say).");
        }

        if (options.Checkout.AccessWhilePending is not (CheckoutSettings.NoAccessWhilePending or CheckoutSettings.TierWhilePending))
        {
            failures.Add($"Billing:Checkout:AccessWhilePending must be {CheckoutSettings.NoAccessWhilePending} or {CheckoutSettings.TierWhilePending}.");
        }

        if (options.Downgrades is not (BillingOptions.DowngradesAtPeriodEnd or BillingOptions.DowngradesNow))
        {
            failures.Add($"Billing:Downgrades must be {BillingOptions.DowngradesAtPeriodEnd} or {BillingOptions.DowngradesNow}.");
        }

        if (!BillingOptions.ProrationBehaviors.Contains(options.ProrationBehavior))
        {
            failures.Add($"Billing:ProrationBehavior must be one of {string.Join(", ", BillingOptions.ProrationBehaviors)}.");
        }

        if (options.Trials.MaxExtensionDays is < 1 or > 730)
        {
            failures.Add("Billing:Trials:MaxExtensionDays must be between 1 and 730.");
        }

        if (!TaxSettings.Behaviors.Contains(options.Tax.Behavior))
        {
            failures.Add($"Billing:Tax:Behavior must be one of {string.Join(", ", TaxSettings.Behaviors)}.");
        }

        if (options.PastDueGracePeriod < TimeSpan.Zero)
        {
            failures.Add("Billing:PastDueGracePeriod must not be negative.");
        }

        if (options.CheckoutSessionLifetime < TimeSpan.FromMinutes(30) || options.CheckoutSessionLifetime > TimeSpan.FromHours(24))
        {
            failures.Add("Billing:CheckoutSessionLifetime must be between 00:30:00 and 1.00:00:00 (Stripe's limits).");
        }

        foreach (var (setting, url) in new[] { ("STRIPE_SUCCESS_URL", options.SuccessUrl), ("STRIPE_CANCEL_URL", options.CancelUrl), ("STRIPE_PORTAL_RETURN_URL", options.PortalReturnUrl) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{setting} must be an absolute http(s) URL.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
