namespace Billing.Domain.Disputes;

/// <summary>
/// Where a dispute stands: an inquiry (warning) or a chargeback waiting on evidence or under the bank's review, then
/// won, lost, or prevented before it became one.
/// </summary>
public enum DisputeStatus
{
    WarningNeedsResponse,
    WarningUnderReview,
    WarningClosed,
    NeedsResponse,
    UnderReview,
    Won,
    Lost,
    Prevented,
}
