namespace Billing.Application.Common.Limits;

/// <summary>A request a user makes that may call Stripe on their behalf: it spends from that user's budget.</summary>
public interface ICallsStripeForUser
{
    string UserId { get; }
}
