using Billing.Domain.Revenue;

namespace Billing.Application.Admin.Revenue;

/// <summary>
/// What moved recurring revenue in a period, MRR in minor units. New revenue counts first payments (trials that
/// converted among them); churned MRR is what the ended subscriptions paid per month; trial conversion is converted
/// trials over trials that ended either way (null when none ended).
/// </summary>
public sealed record RevenueMovementSummary(
    RevenueGroup New,
    RevenueGroup Reactivated,
    RevenueGroup Churned,
    long ExpansionMrr,
    long ContractionMrr,
    int TrialsStarted,
    int TrialsConverted,
    int TrialsEnded,
    decimal? TrialConversionRate)
{
    public static RevenueMovementSummary Of(IEnumerable<RevenueMovement> movements)
    {
        var list = movements.ToList();
        RevenueGroup Group(params RevenueMovementKind[] kinds)
        {
            var matching = list.Where(m => kinds.Contains(m.Kind)).ToList();
            return new RevenueGroup(matching.Count, Mrr(matching.Sum(m => m.Kind == RevenueMovementKind.Churn ? m.RunRateBefore : m.RunRateAfter)));
        }

        var converted = list.Count(m => m.Kind == RevenueMovementKind.TrialConverted);
        var ended = list.Count(m => m.Kind == RevenueMovementKind.TrialEnded);
        return new RevenueMovementSummary(
            Group(RevenueMovementKind.New, RevenueMovementKind.TrialConverted),
            Group(RevenueMovementKind.Reactivation),
            Group(RevenueMovementKind.Churn),
            Mrr(list.Where(m => m.Kind == RevenueMovementKind.Expansion).Sum(m => m.RunRateAfter - m.RunRateBefore)),
            Mrr(list.Where(m => m.Kind == RevenueMovementKind.Contraction).Sum(m => m.RunRateBefore - m.RunRateAfter)),
            list.Count(m => m.Kind == RevenueMovementKind.TrialStarted),
            converted,
            ended,
            converted + ended == 0 ? null : Math.Round((decimal)converted / (converted + ended), 4));
    }

    /// <summary>A sum of annual run rates as MRR, rounded once.</summary>
    public static long Mrr(long annualRunRate) => (long)Math.Round(annualRunRate / 12m, MidpointRounding.AwayFromZero);
}
