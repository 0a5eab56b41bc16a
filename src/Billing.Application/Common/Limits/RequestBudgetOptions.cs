namespace Billing.Application.Common.Limits;

/// <summary>
/// Each user's budget of requests that reach Stripe (section <c>Billing:RateLimit</c>): at most
/// <see cref="PermitLimit"/> in a window of <see cref="Window"/>, shared by every instance through the database.
/// A burst up to the limit is fine; what reaches nothing (a 404, a 409, an idempotent replay) costs nothing.
/// </summary>
public sealed class RequestBudgetOptions
{
    public const string Section = "Billing:RateLimit";

    public int PermitLimit { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
