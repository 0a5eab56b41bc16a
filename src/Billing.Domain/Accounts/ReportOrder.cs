namespace Billing.Domain.Accounts;

/// <summary>
/// Which of two reports of one subscription is newer. Stripe stamps each event with the second it was created
/// (<c>created</c>) and each answer with the second it was given (the <c>Date</c> header); neither is finer than a
/// second, so two reports of the same second are never ordered, whatever fraction a local clock added to one of them.
/// </summary>
public static class ReportOrder
{
    public static ReportAge Judge(DateTimeOffset reportedAt, DateTimeOffset? appliedUpTo)
    {
        if (appliedUpTo is not { } applied)
        {
            return ReportAge.Newer;
        }

        var reported = reportedAt.ToUnixTimeSeconds();
        var held = applied.ToUnixTimeSeconds();
        return reported > held ? ReportAge.Newer : reported < held ? ReportAge.Older : ReportAge.SameSecond;
    }
}
