namespace Billing.Application.Admin.Reconcile;

/// <summary>
/// What a reconciliation compared, found and did. <see cref="Trigger"/> says who ran it (<c>scheduled</c>,
/// <c>command_line</c>, or the administrator's id); a dry run repairs nothing.
/// </summary>
public sealed record ReconciliationReport(
    string Trigger,
    bool DryRun,
    string? UserId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int AccountsChecked,
    int StripeSubscriptionsListed,
    int Repaired,
    IReadOnlyList<DriftFinding> Findings);

/// <summary>
/// One difference found: <see cref="Kind"/> is one of <see cref="DriftKinds"/>; <see cref="Repaired"/> is true when a
/// repair was made (queued through the outbox, or applied from Stripe).
/// </summary>
public sealed record DriftFinding(string? UserId, string Kind, string Detail, bool Repaired);

/// <summary>The kinds of drift a reconciliation reports.</summary>
public static class DriftKinds
{
    /// <summary>The account's tier is not the one of its Stripe subscription.</summary>
    public const string Tier = "tier";

    /// <summary>The account's status is not its Stripe subscription's.</summary>
    public const string Status = "status";

    /// <summary>Cycle, period or scheduled cancellation differ from Stripe's.</summary>
    public const string Subscription = "subscription";

    /// <summary>A live Stripe subscription the store does not hold for its user.</summary>
    public const string UnknownSubscription = "unknown_subscription";

    /// <summary>The account holds a subscription that Stripe does not list for its customer.</summary>
    public const string MissingSubscription = "missing_subscription";

    /// <summary>The account holds a customer that was deleted in Stripe.</summary>
    public const string DeletedCustomer = "deleted_customer";

    /// <summary>A team's subscription bills another number of seats than its members, where the seats follow them.</summary>
    public const string Seats = "seats";

    /// <summary>Comparing could not be done (a counterpart did not answer); nothing was changed for it.</summary>
    public const string CheckFailed = "check_failed";
}
