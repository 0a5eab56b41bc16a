using Billing.Application.Common.Results;
using Billing.Domain.Invoices;

namespace Billing.Application.Common.Ports;

/// <summary>Everything the service asks of Stripe. Adapters map SDK types to these records; none cross this port.</summary>
public interface IPaymentGateway
{
    Task<Result<string>> CreateCustomerAsync(NewCustomer customer, CancellationToken cancellationToken);

    Task<Result<CheckoutSessionCreated>> CreateCheckoutSessionAsync(NewCheckoutSession session, CancellationToken cancellationToken);

    /// <summary>A Checkout Session in setup mode, where the customer saves a new card without a plan change.</summary>
    Task<Result<CheckoutSessionCreated>> CreateSetupSessionAsync(NewSetupSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the card a completed setup saved the default of the customer and, when given, of the subscription
    /// (Stripe charges a subscription's own default first); returns the card's payment method id.
    /// </summary>
    Task<Result<string>> AdoptSetupPaymentMethodAsync(string setupIntentId, string customerId, string? subscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Tries to collect an open invoice now with this card; a decline is <see cref="ErrorKind.PaymentDeclined"/>.</summary>
    Task<Result<GatewayInvoice>> PayInvoiceAsync(string invoiceId, string paymentMethodId, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<string>> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken cancellationToken);

    /// <summary>The customer's cards; the default is the subscription's default card, else the customer's.</summary>
    Task<Result<IReadOnlyList<SavedPaymentMethod>>> ListPaymentMethodsAsync(string customerId, string? subscriptionId, CancellationToken cancellationToken);

    /// <summary>Ends an open Checkout Session so it can no longer be paid; false when it was no longer open.</summary>
    Task<Result<bool>> ExpireCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>A customer's invoices, newest first (the most recent few hundred), to fill the invoice book once.</summary>
    Task<Result<IReadOnlyList<InvoiceFacts>>> ListInvoicesAsync(string customerId, CancellationToken cancellationToken);

    Task<Result<InvoiceFacts>> GetInvoiceAsync(string invoiceId, CancellationToken cancellationToken);

    /// <summary>The invoice a payment intent paid, or null when it paid none.</summary>
    Task<Result<string?>> FindInvoiceOfPaymentAsync(string paymentIntentId, CancellationToken cancellationToken);

    /// <summary>
    /// Refunds <paramref name="amount"/> (all that is left when null) of what the invoice's payment collected; the
    /// refund's metadata names the invoice. Stripe refuses more than was paid.
    /// </summary>
    Task<Result<GatewayRefund>> RefundInvoiceAsync(string invoiceId, long? amount, string reason, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<GatewayRefund>>> ListRefundsAsync(string paymentIntentId, CancellationToken cancellationToken);

    /// <summary>
    /// Refunds <paramref name="portion"/> (all by default) of what the subscription's latest invoice collected; null
    /// when it collected nothing.
    /// </summary>
    Task<Result<string?>> RefundLatestPaymentAsync(string subscriptionId, string reason, string idempotencyKey, CancellationToken cancellationToken, decimal portion = 1m);

    Task<Result<GatewaySubscription>> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>
    /// Every subscription of the customer (of the account when null), whatever its status, page by page. Listed, not
    /// expanded: good for comparing, while a repair reads the one subscription again.
    /// </summary>
    Task<Result<IReadOnlyList<GatewaySubscription>>> ListSubscriptionsAsync(string? customerId, CancellationToken cancellationToken);

    /// <summary>The ids of the account's customers; Stripe lists no deleted customer.</summary>
    Task<Result<IReadOnlySet<string>>> ListCustomerIdsAsync(CancellationToken cancellationToken);

    /// <summary>True when Stripe says the customer was deleted (or never existed).</summary>
    Task<Result<bool>> IsCustomerDeletedAsync(string customerId, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> CancelSubscriptionAsync(string subscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Lifts a cancellation scheduled for the period end.</summary>
    Task<Result<GatewaySubscription>> KeepSubscriptionAsync(string subscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Resumes a paused subscription (Stripe's resume, billing from now).</summary>
    Task<Result<GatewaySubscription>> ResumePausedSubscriptionAsync(string subscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Moves the end of a subscription's free trial, with no proration.</summary>
    Task<Result<GatewaySubscription>> ExtendTrialAsync(string subscriptionId, DateTimeOffset trialEnd, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> ChangeSubscriptionPriceAsync(SubscriptionPriceChange change, CancellationToken cancellationToken);

    Task<Result<ChangePreview>> PreviewSubscriptionPriceChangeAsync(SubscriptionPriceChange change, string customerId, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<GatewayPrice>>> FindPricesByLookupKeysAsync(IReadOnlyCollection<string> lookupKeys, CancellationToken cancellationToken);

    Task<Result<GatewayProduct?>> FindProductAsync(string productId, CancellationToken cancellationToken);

    Task<Result<GatewayProduct>> UpsertProductAsync(GatewayProduct product, bool exists, CancellationToken cancellationToken);

    Task<Result<GatewayPrice>> CreatePriceAsync(NewPrice price, CancellationToken cancellationToken);

    Task<Result<GatewayCoupon?>> FindCouponAsync(string couponId, CancellationToken cancellationToken);

    Task<Result<GatewayCoupon>> CreateCouponAsync(GatewayCoupon coupon, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Only a coupon's name can change in Stripe.</summary>
    Task<Result<GatewayCoupon>> RenameCouponAsync(string couponId, string name, CancellationToken cancellationToken);

    /// <summary>The promotion code customers type (case-insensitive), with its coupon; null when Stripe has none.</summary>
    Task<Result<GatewayPromotionCode?>> FindPromotionCodeAsync(string code, CancellationToken cancellationToken);

    Task<Result<GatewayPromotionCode>> CreatePromotionCodeAsync(NewPromotionCode code, CancellationToken cancellationToken);

    Task<Result<GatewayPromotionCode>> SetPromotionCodeActiveAsync(string promotionCodeId, bool active, CancellationToken cancellationToken);

    /// <summary>Puts a promotion code's discount on a live subscription (replacing any other discount).</summary>
    Task<Result<GatewaySubscription>> ApplyPromotionCodeAsync(string subscriptionId, string promotionCodeId, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<GatewayPrice>> UpdatePriceMetadataAsync(string priceId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}
