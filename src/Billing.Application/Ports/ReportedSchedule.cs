using Billing.Domain.Plans;

namespace Billing.Application.Ports;

/// <summary>
/// A subscription schedule as its event carried it: whether it still runs (<paramref name="Running"/>: not started or
/// active), and the phase after the current one, if any: its price, when it starts, and the plan its metadata names
/// (a schedule this service made says so; one made in the portal or the dashboard does not).
/// </summary>
public sealed record ReportedSchedule(string Id, string? SubscriptionId, bool Running, string? NextPriceId, DateTimeOffset? NextStartsAt, Tier? NextTier, BillingCycle? NextCycle);
