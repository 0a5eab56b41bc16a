using Refit;

namespace Billing.Infrastructure.Lago;

public sealed record LagoSubscriptionEnvelope(LagoSubscription Subscription);
