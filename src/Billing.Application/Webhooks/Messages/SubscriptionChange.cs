namespace Billing.Application.Webhooks.Messages;

/// <summary>What Stripe said happened to a subscription.</summary>
public enum SubscriptionChange
{
    Created,
    Updated,
    Ended,
    Paused,
    Resumed,

    /// <summary>Its free trial ends in three days.</summary>
    TrialEnding,
}
