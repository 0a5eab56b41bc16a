using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The Checkout and portal calls of the Stripe adapter.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<CheckoutSessionCreated>> CreateCheckoutSessionAsync(NewCheckoutSession session, CancellationToken cancellationToken) =>
        CallAsync("create checkout session", async client =>
        {
            var holder = BillingMetadata.HolderOf(session.UserId);
            var metadata = new Dictionary<string, string>
            {
                [holder.Key] = holder.Value,
                [BillingMetadata.Tier] = session.Tier.Code(),
                [BillingMetadata.BillingCycle] = session.Cycle.Code(),
            };
            var created = await new SessionService(client).CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "subscription",
                    Customer = session.CustomerId,
                    ClientReferenceId = session.UserId,
                    LineItems = [new SessionLineItemOptions { Price = session.PriceId, Quantity = session.Seats }],
                    SuccessUrl = session.SuccessUrl,
                    CancelUrl = session.CancelUrl,
                    ExpiresAt = session.ExpiresAt.UtcDateTime,
                    Metadata = metadata,

                    // Stripe takes a code checked here, or a field on its page for the user to type one, not both.
                    Discounts = session.PromotionCodeId is null ? null : [new SessionDiscountOptions { PromotionCode = session.PromotionCodeId }],
                    AllowPromotionCodes = session.PromotionCodeId is null && session.AllowPromotionCodes ? true : null,
                    SubscriptionData = new SessionSubscriptionDataOptions
                    {
                        Metadata = new Dictionary<string, string>(metadata),
                        TrialPeriodDays = session.TrialDays,

                        // With no card collected, Stripe cancels the subscription when the trial ends without one.
                        TrialSettings = session.TrialDays is not null && session.TrialWithoutCard
                            ? new SessionSubscriptionDataTrialSettingsOptions { EndBehavior = new SessionSubscriptionDataTrialSettingsEndBehaviorOptions { MissingPaymentMethod = "cancel" } }
                            : null,
                    },
                    PaymentMethodCollection = session.TrialDays is not null && session.TrialWithoutCard ? "if_required" : null,
                    Currency = session.Currency,

                    // A filter on the ways to pay Stripe finds eligible (API 2026-10-28 and later), checked here first.
                    AllowedPaymentMethodTypes = session.PaymentMethodTypes?.ToList(),

                    // Stripe Tax needs the customer's address; Checkout asks for it and writes it (and a business
                    // name for a tax id) back to the existing customer, which Stripe refuses to do unless told to.
                    AutomaticTax = session.AutomaticTax ? new SessionAutomaticTaxOptions { Enabled = true } : null,
                    BillingAddressCollection = session.AutomaticTax ? "required" : null,
                    TaxIdCollection = session.AutomaticTax ? new SessionTaxIdCollectionOptions { Enabled = true } : null,
                    CustomerUpdate = session.AutomaticTax ? new SessionCustomerUpdateOptions { Address = "auto", Name = "auto" } : null,
                },
                Keyed(session.IdempotencyKey),
                cancellationToken);
            return new CheckoutSessionCreated(created.Id, created.Url, new DateTimeOffset(DateTime.SpecifyKind(created.ExpiresAt, DateTimeKind.Utc)));
        });

    public Task<Result<CheckoutSessionCreated>> CreateSetupSessionAsync(NewSetupSession session, CancellationToken cancellationToken) =>
        CallAsync("create setup session", async client =>
        {
            var created = await new SessionService(client).CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "setup",
                    Customer = session.CustomerId,
                    Currency = session.Currency,
                    ClientReferenceId = session.UserId,
                    SuccessUrl = session.SuccessUrl,
                    CancelUrl = session.CancelUrl,
                    ExpiresAt = session.ExpiresAt.UtcDateTime,
                    Metadata = new Dictionary<string, string>([BillingMetadata.HolderOf(session.UserId)]) { ["purpose"] = "payment_method_update" },
                    SetupIntentData = new SessionSetupIntentDataOptions { Metadata = new Dictionary<string, string>([BillingMetadata.HolderOf(session.UserId)]) },
                },
                Keyed(session.IdempotencyKey),
                cancellationToken);
            return new CheckoutSessionCreated(created.Id, created.Url, new DateTimeOffset(DateTime.SpecifyKind(created.ExpiresAt, DateTimeKind.Utc)));
        });

    public Task<Result<string>> CreatePortalSessionAsync(string customerId, string returnUrl, string? configurationId, CancellationToken cancellationToken) =>
        CallAsync("create portal session", async client =>
        {
            var created = await new global::Stripe.BillingPortal.SessionService(client).CreateAsync(
                new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl, Configuration = configurationId },
                cancellationToken: cancellationToken);
            return created.Url;
        });

    public Task<Result<bool>> ExpireCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        CallAsync("expire checkout session", async client =>
        {
            var service = new SessionService(client);
            var session = await service.GetAsync(sessionId, cancellationToken: cancellationToken);
            if (session.Status != "open")
            {
                return session.Status == "expired";
            }

            var expired = await service.ExpireAsync(sessionId, cancellationToken: cancellationToken);
            return expired.Status == "expired";
        });
}
