namespace Billing.Infrastructure.Configuration;

/// <summary>
/// The pace of this service's calls to Stripe (section <c>Billing:Stripe</c>). Stripe allows 100 requests/s per
/// account in live mode (25/s in a sandbox) and 25/s per endpoint, shared with everything else on the account: keep
/// <see cref="RequestsPerSecond"/> under both. On PostgreSQL every instance shares one pace through the database; on
/// SQLite (one instance) the pace is kept in memory.
/// </summary>
public sealed class StripeBudgetOptions
{
    public const string Section = "Billing:Stripe";

    /// <summary>Requests per second of all instances together; 0 turns the budget off.</summary>
    public double RequestsPerSecond { get; set; } = 20;

    /// <summary>
    /// Only without a shared pace (SQLite): how many instances share <see cref="RequestsPerSecond"/>, each pacing itself
    /// at its share. On PostgreSQL the pace is shared through the database and this is ignored.
    /// </summary>
    public int Instances { get; set; } = 1;

    /// <summary>
    /// How many slots a user's request (checkout, portal, a change of tier) may take ahead of the pace, pushing
    /// background work (webhooks, deliveries) back, so a backlog never makes a user wait.
    /// </summary>
    public double UserReserve { get; set; } = 5;

    public double PerInstance => Instances > 0 ? RequestsPerSecond / Instances : RequestsPerSecond;

    public bool IsValid => RequestsPerSecond >= 0 && Instances >= 1 && UserReserve >= 0 && (RequestsPerSecond == 0 || UserReserve < PerInstance);
}
