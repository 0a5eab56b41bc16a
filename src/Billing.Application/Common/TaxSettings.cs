namespace Billing.Application.Common;

/// <summary>Stripe Tax (section <c>Billing:Tax</c>). Off by default: with it off, no tax parameter reaches Stripe.</summary>
public sealed class TaxSettings
{
    /// <summary>
    /// Turns on Stripe Tax: checkout collects the billing address and tax ids, and every invoice, tier change and
    /// preview has its tax computed by Stripe. Needs Stripe Tax set up (origin address, registrations) in the dashboard.
    /// </summary>
    public bool Automatic { get; set; }

    /// <summary>Whether catalog prices include tax (<c>inclusive</c>) or have it added (<c>exclusive</c>, the default).</summary>
    public string Behavior { get; set; } = "exclusive";

    public static readonly IReadOnlySet<string> Behaviors = new HashSet<string>(StringComparer.Ordinal) { "exclusive", "inclusive" };

    /// <summary>The <c>tax_behavior</c> catalog prices are created with: none while automatic tax is off.</summary>
    public string? PriceTaxBehavior => Automatic ? Behavior : null;
}
