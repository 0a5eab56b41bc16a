using Refit;

namespace Billing.Infrastructure.Lago;

public sealed record LagoSubscription(string ExternalCustomerId, string PlanCode, string ExternalId);
