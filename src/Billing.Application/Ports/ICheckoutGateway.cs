using Billing.Application.Common;
using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>Stripe Checkout and the customer portal: the hosted pages a customer is sent to. Adapters map SDK types to this port's records; none cross it.</summary>
public interface ICheckoutGateway
{
    Task<Result<CheckoutSessionCreated>> CreateCheckoutSessionAsync(NewCheckoutSession session, CancellationToken cancellationToken);

    /// <summary>A Checkout Session in setup mode, where the customer saves a new card without a plan change.</summary>
    Task<Result<CheckoutSessionCreated>> CreateSetupSessionAsync(NewSetupSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a Checkout Session so it can no longer be paid: true when it is expired (now, or already, as when a command
    /// run again after a concurrent change expires it a second time); false when it was completed (paid) meanwhile.
    /// </summary>
    Task<Result<bool>> ExpireCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>A portal session on <paramref name="configurationId"/> (Stripe's default configuration when null).</summary>
    Task<Result<string>> CreatePortalSessionAsync(string customerId, string returnUrl, string? configurationId, CancellationToken cancellationToken);
}
