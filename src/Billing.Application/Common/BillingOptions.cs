namespace Billing.Application.Common;

/// <summary>How the service runs its subscriptions (section <c>Billing</c>; the seed's STRIPE_* variables map onto it).</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>Where Stripe Checkout sends the user after paying; the session id is appended to it.</summary>
    public string SuccessUrl { get; set; } = "http://localhost:3000/billing/success";

    public string CancelUrl { get; set; } = "http://localhost:3000/billing/cancel";

    public string PortalReturnUrl { get; set; } = "http://localhost:3000/billing";

    /// <summary>Stripe's proration_behavior for a change of tier: create_prorations, always_invoice or none.</summary>
    public string ProrationBehavior { get; set; } = "create_prorations";

    /// <summary>
    /// When a downgrade (a lower tier, or yearly to monthly) takes effect: <c>period_end</c> (the default) keeps what
    /// the customer paid for until the period ends, through a Stripe subscription schedule; <c>now</c> changes at once,
    /// prorated like an upgrade.
    /// </summary>
    public string Downgrades { get; set; } = DowngradesAtPeriodEnd;

    public const string DowngradesAtPeriodEnd = "period_end";

    public const string DowngradesNow = "now";

    /// <summary>Whether downgrades wait for the end of the period (<see cref="Downgrades"/>).</summary>
    public bool SchedulesDowngrades => Downgrades == DowngradesAtPeriodEnd;

    /// <summary>
    /// How long a Checkout Session can be paid (Stripe allows 30 minutes to 24 hours). Short, since an open
    /// session is handed out again rather than opening a second one a user could also pay.
    /// </summary>
    public TimeSpan CheckoutSessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a past-due account keeps its tier before access falls back to trial.</summary>
    public TimeSpan PastDueGracePeriod { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How long an e-mail waits before it is sent, so that Stripe's events about the same payment, which may arrive
    /// in any order, are all applied first (a failed payment that needs 3-D Secure is told once, as that).
    /// </summary>
    public TimeSpan NotificationDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TrialSettings Trials { get; set; } = new();

    public CheckoutSettings Checkout { get; set; } = new();

    public RefundSettings Refunds { get; set; } = new();

    public DisputeSettings Disputes { get; set; } = new();

    public TaxSettings Tax { get; set; } = new();

    public OrganizationSettings Organizations { get; set; } = new();

    public PortalSettings Portal { get; set; } = new();

    public static readonly IReadOnlySet<string> ProrationBehaviors = new HashSet<string>(StringComparer.Ordinal)
    {
        "create_prorations",
        "always_invoice",
        "none",
    };
}
