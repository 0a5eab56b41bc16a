namespace Billing.Application.Common;

/// <summary>How free trials run (section <c>Billing:Trials</c>); each tier's length is <c>TrialDays</c> in the catalog.</summary>
public sealed class TrialSettings
{
    /// <summary>
    /// Whether a trial needs a card at checkout. Without one, Stripe ends the trial by canceling the subscription
    /// when no card was added by then (<c>trial_settings.end_behavior.missing_payment_method=cancel</c>).
    /// </summary>
    public bool RequireCard { get; set; } = true;

    /// <summary>The most days an admin may move a trial's end by in one extension.</summary>
    public int MaxExtensionDays { get; set; } = 30;
}
