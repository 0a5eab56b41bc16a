using Billing.Api.Contracts;
using Billing.Api.Auth;
using Billing.Api.Infrastructure;
using Billing.Application.Checkout.Create;
using Billing.Application.Accounts;
using Billing.Application.PaymentMethods.List;
using Billing.Application.PaymentMethods.Update;
using Billing.Application.Portal.Create;
using Billing.Application.Subscriptions.ApplyPromotionCode;
using Billing.Application.Subscriptions.Cancel;
using Billing.Application.Entitlements.Get;
using Billing.Application.Subscriptions.ChangeTier;
using Billing.Application.Subscriptions.GetStatus;
using Billing.Application.Subscriptions.PreviewChange;
using Billing.Application.Subscriptions.Resume;
using Billing.Application.Subscriptions.ScheduledChanges;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>The caller's own subscription: checkout, portal, cards, status, cancel and change of tier.</summary>
[Route("api/v1/billing")]
[Tags("Subscription")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status401Unauthorized, "application/problem+json")]
public sealed class SubscriptionsController(ISender sender) : BillingControllerBase(sender)
{
    private string? _requestKey;

    /// <summary>
    /// The caller's Idempotency-Key, or one made for this request alone: a command the pipeline runs again after a
    /// concurrent change sends Stripe the same keys, so Stripe does nothing twice.
    /// </summary>
    private string RequestKey => _requestKey ??= Request.Headers[IdempotentAttribute.Header].FirstOrDefault() ?? Guid.NewGuid().ToString("N");

    /// <summary>Starts Stripe Checkout for a tier and billing cycle.</summary>
    /// <remarks>
    /// Returns the Checkout URL to send the user to. The price is found in Stripe by its lookup key
    /// (for example <c>professional_yearly</c>). A caller who already has a live subscription gets 409:
    /// change it with <c>/subscription/upgrade</c> or in the portal. Send an <c>Idempotency-Key</c> to make retries safe.
    /// </remarks>
    /// <response code="200">The Checkout session.</response>
    /// <response code="400">Unknown tier or cycle, a tier without a price for that cycle, a malformed body, or a promotion code that is unknown (<c>promotion_code_unknown</c>), expired or used up (<c>promotion_code_expired</c>) or not for that tier (<c>promotion_code_not_applicable</c>), an unknown currency (<c>unknown_currency</c>) or one the price is not sold in (<c>currency_not_offered</c>), or a way to pay not offered or not taking the currency (<c>payment_method_not_available</c>: SEPA Direct Debit takes EUR only). Nothing is asked of Stripe then.</response>
    /// <response code="409">The caller already has a live subscription, or asked for a currency other than the one their account is billed in (<c>currency_fixed</c>).</response>
    /// <response code="422">The Idempotency-Key was used for another request.</response>
    /// <response code="429">Too many subscription changes; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured (STRIPE_API_KEY), the catalog is not in Stripe, or Stripe is rate limiting.</response>
    [HttpPost("checkout/create")]
    [Idempotent]
    [ProducesResponseType(typeof(CheckoutSessionView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> CreateCheckout([FromBody] CheckoutRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new CreateCheckoutSession(User.UserId(), User.EmailAddress(), request.TierId, request.BillingCycle, RequestKey, request.PromotionCode, request.Currency, RequestedAt, PaymentMethodTypes: request.PaymentMethodTypes), cancellationToken));

    /// <summary>Opens Stripe's customer portal, where the caller manages cards and invoices.</summary>
    /// <response code="200">The portal URL.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured (STRIPE_API_KEY).</response>
    [HttpPost("portal/create")]
    [Idempotent]
    [Consumes("application/json", IsOptional = true)]
    [ProducesResponseType(typeof(PortalSessionView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> CreatePortal(CancellationToken cancellationToken) =>
        From(await Sender.Send(new CreatePortalSession(User.UserId(), User.EmailAddress()), cancellationToken));

    /// <summary>Lists the caller's saved ways to pay: cards (brand, last four digits, expiry) and bank accounts for debits (type, last four digits), and the default one.</summary>
    /// <response code="200">The cards; empty when the caller has no Stripe customer yet.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured (STRIPE_API_KEY).</response>
    [HttpGet("payment-methods")]
    [ProducesResponseType(typeof(PaymentMethodList), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> PaymentMethods(CancellationToken cancellationToken) =>
        From(await Sender.Send(new ListPaymentMethods(User.UserId()), cancellationToken));

    /// <summary>Puts a promotion code's discount on the caller's live subscription.</summary>
    /// <remarks>Checked against Stripe first; the discount applies from the next invoice, and the answer shows it in <c>discounts</c> and <c>amount_after_discount</c>.</remarks>
    /// <response code="200">The subscription with its discount.</response>
    /// <response code="400">The code is malformed, unknown, expired or used up, or not for the caller's tier.</response>
    /// <response code="404">The caller has no live subscription.</response>
    /// <response code="422">The Idempotency-Key was used for another request.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting.</response>
    [HttpPost("subscription/promotion-code")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> ApplyPromotionCode([FromBody] PromotionCodeRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ApplyPromotionCode(User.UserId(), request.Code, RequestKey), cancellationToken));

    /// <summary>Opens a page where the caller saves a new card, without changing their plan.</summary>
    /// <remarks>
    /// A Stripe Checkout Session in setup mode: nothing is charged there. When it completes, the new card becomes the
    /// default of the customer and of the subscription, and an open invoice (a failed renewal) is tried with it at
    /// once. The user comes back to the billing page with <c>?payment_method=updated</c>.
    /// </remarks>
    /// <response code="200">The page to send the user to.</response>
    /// <response code="404">The caller has no payment details yet (never subscribed).</response>
    /// <response code="422">The Idempotency-Key was used for another request.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured (STRIPE_API_KEY), or Stripe is rate limiting.</response>
    [HttpPost("payment-methods/update")]
    [Idempotent]
    [Consumes("application/json", IsOptional = true)]
    [ProducesResponseType(typeof(PaymentMethodUpdateView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> UpdatePaymentMethod(CancellationToken cancellationToken) =>
        From(await Sender.Send(new StartPaymentMethodUpdate(User.UserId(), RequestKey, RequestedAt), cancellationToken));

    /// <summary>The caller's subscription as this service knows it (no Stripe call).</summary>
    /// <remarks>
    /// <c>access_tier</c> is what gates access now: a past-due subscription keeps its tier through the grace period,
    /// and only while Stripe still retries the payment. <c>action</c> says what the user must do, if anything:
    /// <c>authenticate_payment</c> (3-D Secure) or <c>pay_invoice</c> on the invoice's hosted page at <c>url</c>, or
    /// <c>update_payment_method</c> (open <c>POST /payment-methods/update</c>); <c>due_at</c> is when access is at stake.
    /// </remarks>
    [HttpGet("subscription-status")]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    public async Task<IActionResult> Status(CancellationToken cancellationToken) =>
        From(await Sender.Send(new GetSubscriptionStatus(User.UserId()), cancellationToken));

    /// <summary>The caller's balance and the credits they were granted (no Stripe call).</summary>
    /// <remarks>
    /// `credit` is what the next invoices will have taken off (in minor units of `currency`), `owed` what they will add;
    /// kept from Stripe's `customer.updated` events and the credits granted, newest first.
    /// </remarks>
    /// <response code="200">The balance.</response>
    [HttpGet("balance")]
    [ProducesResponseType(typeof(Billing.Application.Balance.BalanceView), StatusCodes.Status200OK)]
    public async Task<IActionResult> Balance(CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Balance.Get.GetBalance(User.UserId()), cancellationToken));

    /// <summary>What the caller is entitled to now (no Stripe call).</summary>
    /// <remarks>
    /// The entitlements of the tier that gates the caller's access (`access_tier`, as in the status): their own
    /// subscription's, or a team's when that is higher (`organization_id` names it); the trial tier's while nothing is
    /// paid; a scheduled downgrade only once it happened. Each feature is a whole number or true/false, as the catalog
    /// names them (`Billing__Catalog__Tiers__{tier}__Features__{key}`). Keycloak holds the same as `billing_entitlements`.
    /// </remarks>
    /// <response code="200">The access tier and its features.</response>
    /// <response code="502">Keycloak could not be reached to find the caller's teams (only when teams are billed).</response>
    [HttpGet("entitlements")]
    [ProducesResponseType(typeof(EntitlementsView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    public async Task<IActionResult> Entitlements(CancellationToken cancellationToken) =>
        From(await Sender.Send(new GetEntitlements(User.UserId()), cancellationToken));

    /// <summary>Cancels the caller's subscription, at the end of the period unless <c>at_period_end</c> is false.</summary>
    /// <response code="200">The subscription after cancelling.</response>
    /// <response code="400">A malformed subscription id or body.</response>
    /// <response code="404">The caller has no live subscription with that id (another user's id is answered the same way).</response>
    /// <response code="429">Too many subscription changes; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting this service; see Retry-After.</response>
    [HttpPost("subscription/cancel")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    public async Task<IActionResult> Cancel([FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CancelRequest? request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new CancelSubscription(User.UserId(), request?.SubscriptionId, request?.AtPeriodEnd ?? true, RequestKey), cancellationToken));

    /// <summary>Resumes the caller's subscription: lifts a cancellation scheduled for the period end, or resumes a paused one.</summary>
    /// <response code="200">The subscription as it now is.</response>
    /// <response code="404">The caller has no live subscription.</response>
    /// <response code="409">Nothing to resume: the subscription is neither paused nor set to end.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting this service; see Retry-After.</response>
    [HttpPost("subscription/resume")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    public async Task<IActionResult> Resume(CancellationToken cancellationToken) =>
        From(await Sender.Send(new ResumeSubscription(User.UserId(), RequestKey), cancellationToken));

    /// <summary>Changes the caller's tier or billing cycle: an upgrade now, prorated; a downgrade at the end of the period.</summary>
    /// <remarks>
    /// An upgrade (a higher tier, or monthly to yearly) happens at once, prorated as configured, and replaces a change
    /// scheduled before it. A downgrade (a lower tier, or yearly to monthly) waits for the end of the period paid for
    /// when `Billing__Downgrades` is `period_end` (the default): the answer's `scheduled_change` says to what and when,
    /// and the tier changes when Stripe moves the subscription then. With `now`, a downgrade is prorated like an upgrade.
    /// </remarks>
    /// <response code="200">The subscription after the change, or with the change scheduled.</response>
    /// <response code="400">Unknown tier or cycle, or a tier without that cycle.</response>
    /// <response code="402">The card was declined for the prorated amount.</response>
    /// <response code="404">The caller has no live subscription.</response>
    /// <response code="409">The subscription is already on that tier and cycle, or ends at the period end (`cancellation_scheduled`, for a downgrade that would take effect then).</response>
    /// <response code="429">Too many subscription changes; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting this service; see Retry-After.</response>
    [HttpPost("subscription/upgrade")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status402PaymentRequired, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    public async Task<IActionResult> ChangeTier([FromBody] ChangeTierRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ChangeSubscriptionTier(User.UserId(), request.NewTierId, request.BillingCycle, RequestKey, request.KeepCancellation ?? true), cancellationToken));

    /// <summary>Shows when a change of tier would take effect and what it would cost now; changes nothing.</summary>
    /// <remarks>
    /// An upgrade's amounts come from Stripe's invoice preview. A downgrade that waits for the end of the period costs
    /// nothing now: `scheduled` is true, `effective_at` the period's end, and the amounts are zero.
    /// </remarks>
    /// <response code="200">The amounts, with the proration lines, and when the change would take effect.</response>
    /// <response code="400">Unknown tier or cycle.</response>
    /// <response code="404">The caller has no live subscription.</response>
    /// <response code="409">The subscription is already on that tier and cycle.</response>
    /// <response code="429">Too many requests that reach Stripe; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting this service; see Retry-After.</response>
    [HttpPost("subscription/upgrade/preview")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    [ProducesResponseType(typeof(TierChangePreview), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> PreviewChange([FromBody] ChangeTierRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new PreviewTierChange(User.UserId(), request.NewTierId, request.BillingCycle), cancellationToken));

    /// <summary>Lifts the change of plan scheduled for the end of the period: the subscription renews as it is.</summary>
    /// <response code="200">The subscription, with no change scheduled.</response>
    /// <response code="404">No change is scheduled (`no_scheduled_change`).</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting this service; see Retry-After.</response>
    [HttpDelete("subscription/scheduled-change")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> LiftScheduledChange(CancellationToken cancellationToken) =>
        From(await Sender.Send(new LiftScheduledChange(User.UserId(), RequestKey), cancellationToken));
}
