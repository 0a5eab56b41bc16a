using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// One Stripe event, read at the edge (Infrastructure) into the kind the service acts on, in billing terms: no
/// Stripe type string crosses into Application. <see cref="Process.ProcessStripeEvent"/> sends it, and the handler
/// of its kind applies it.
/// </summary>
public abstract record StripeEventMessage(string EventId, DateTimeOffset CreatedAt, string ObjectId, string? CustomerId, string? SubscriptionId)
    : IRequest<Result<string>>
{
    /// <summary>The lane the inbox processes it in: one account's events one after another.</summary>
    public string Lane => LaneOf(CustomerId, SubscriptionId, ObjectId);

    /// <summary>
    /// An event's lane: its customer's, so one account's events run one after another and never meet as concurrent
    /// writers of the account (which would run one of them again); its subscription or its own object when it names
    /// no customer.
    /// </summary>
    public static string LaneOf(string? customerId, string? subscriptionId, string objectId) => customerId ?? subscriptionId ?? objectId;
}
