using Billing.Application.Common;
using Billing.Application.Catalog;
using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.PaymentMethods.Update;

/// <summary>
/// Opens a Checkout Session in setup mode where the caller saves a new card, with no change of plan. When it
/// completes, the webhook makes the card the default and retries an open invoice with it.
/// </summary>
/// <remarks><see cref="RequestedAt"/> fixes the session's expiry once per HTTP request, so a run again sends Stripe the same request.</remarks>
public sealed record StartPaymentMethodUpdate(string UserId, string? RequestKey = null, DateTimeOffset? RequestedAt = null) : ICommand<Result<PaymentMethodUpdateView>>, ICallsStripeForUser;

public sealed record PaymentMethodUpdateView(string Url, string SessionId);

public sealed class StartPaymentMethodUpdateHandler(
    IBillingAccountRepository accounts,
    ICheckoutGateway gateway,
    PlanCatalog catalog,
    TimeProvider clock,
    IOptions<BillingOptions> options) : ICommandHandler<StartPaymentMethodUpdate, Result<PaymentMethodUpdateView>>
{
    public async ValueTask<Result<PaymentMethodUpdateView>> Handle(StartPaymentMethodUpdate command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (account?.StripeCustomerId is null)
        {
            return Error.NotFound("no_payment_customer", "You have no payment details to update yet; subscribe first with POST /api/v1/billing/checkout/create.");
        }

        var settings = options.Value;
        var session = await gateway.CreateSetupSessionAsync(
            new NewSetupSession(
                account.StripeCustomerId,
                command.UserId,

                // Stripe needs a currency for a setup session; the card is for what the customer pays in.
                account.Currency ?? catalog.Currency,
                Urls.WithQuery(settings.PortalReturnUrl, "payment_method=updated"),
                settings.PortalReturnUrl,
                (command.RequestedAt ?? clock.GetUtcNow()) + settings.CheckoutSessionLifetime,
                $"billing-card-update-{command.UserId}-{command.RequestKey ?? Guid.NewGuid().ToString("N")}"),
            cancellationToken);
        return session.Map(s => new PaymentMethodUpdateView(s.Url, s.SessionId));
    }
}
