using Billing.Api.Auth;
using Billing.Api.Contracts;
using Billing.Api.Infrastructure;
using Billing.Application.Accounts;
using Billing.Application.Checkout.Create;
using Billing.Application.Invoices.List;
using Billing.Application.Organizations;
using Billing.Application.Organizations.List;
using Billing.Application.Organizations.Seats;
using Billing.Application.PaymentMethods.List;
using Billing.Application.Portal.Create;
using Billing.Application.Subscriptions.Cancel;
using Billing.Application.Subscriptions.ChangeTier;
using Billing.Application.Subscriptions.GetStatus;
using Billing.Application.Subscriptions.PreviewChange;
using Billing.Application.Subscriptions.Resume;
using Billing.Domain.Accounts;
using Billing.Application.Subscriptions.ScheduledChanges;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>
/// An organization's own subscription, billed per seat. Who belongs to the organization is asked of Keycloak (its
/// Organizations), never read from the token: any member may read the status and the seats; changes, cards and
/// invoices need the realm role <c>KEYCLOAK_ORG_BILLING_ROLE</c> (default <c>billing-org-admin</c>). A caller who is
/// not a member gets 404, as for an organization that does not exist; a member without the role gets 403.
/// </summary>
[Route("api/v1/billing/organizations/{organization_id}")]
[Tags("Organization")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class OrganizationsController(ISender sender) : BillingControllerBase(sender)
{
    private string? _requestKey;

    private string RequestKey => _requestKey ??= Request.Headers[IdempotentAttribute.Header].FirstOrDefault() ?? Guid.NewGuid().ToString("N");

    private OrganizationCaller Caller(string organizationId) => new(organizationId, User.UserId(), User.Roles());

    /// <summary>The organization's account key; an id that names no organization is refused before any use of it (404).</summary>
    private static string Account(string organizationId) => AccountHolder.OrganizationPrefix + organizationId;

    /// <summary>The organizations the caller belongs to, with each one's subscription and whether the caller may manage it.</summary>
    /// <remarks>Asked of Keycloak's Organizations; an organization that never subscribed shows status <c>none</c>.</remarks>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The caller's organizations (none for a user of no team).</response>
    [HttpGet("/api/v1/billing/organizations")]
    [ProducesResponseType(typeof(IReadOnlyList<OrganizationView>), StatusCodes.Status200OK)]
    public async Task<IActionResult> ListCallerOrganizations(CancellationToken cancellationToken) =>
        From(await Sender.Send(new ListCallerOrganizations(User.UserId(), User.Roles()), cancellationToken));

    /// <summary>Starts Stripe Checkout for the organization: a tier, a billing cycle and its seats.</summary>
    /// <remarks>
    /// The organization gets its own Stripe customer (metadata <c>keycloak_organization_id</c>; the caller's e-mail as
    /// its billing contact) and one subscription whose quantity is its seats. Without <c>seats</c>, the member count.
    /// </remarks>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="request">The plan and seats.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The Checkout session.</response>
    /// <response code="400">Unknown tier or cycle, seats out of the tier's bounds (<c>seats_out_of_range</c>), or a code, currency or way to pay as for a user's checkout (<c>payment_method_not_available</c>).</response>
    /// <response code="403">The caller is a member without the organization billing role (<c>organization_billing_role_required</c>).</response>
    /// <response code="404">No organization of the caller's with this id (<c>organization_not_found</c>).</response>
    /// <response code="409">Fewer seats than members (<c>seats_below_members</c>), seats that follow the members (<c>seats_follow_members</c>), or a live subscription already.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPost("checkout/create")]
    [Idempotent]
    [ProducesResponseType(typeof(CheckoutSessionView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> CreateOrganizationCheckout([FromRoute(Name = "organization_id")] string organizationId, [FromBody] OrganizationCheckoutRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new CreateCheckoutSession(Account(organizationId), User.EmailAddress(), request.TierId, request.BillingCycle, RequestKey, request.PromotionCode, request.Currency, RequestedAt, request.Seats, Caller(organizationId), request.PaymentMethodTypes), cancellationToken));

    /// <summary>The organization's subscription as this service knows it (no Stripe call); any member may read it.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The subscription, with its <c>seats</c>.</response>
    /// <response code="404">No organization of the caller's with this id.</response>
    [HttpGet("subscription-status")]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    public async Task<IActionResult> GetOrganizationSubscriptionStatus([FromRoute(Name = "organization_id")] string organizationId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new GetSubscriptionStatus(Account(organizationId), Caller(organizationId)), cancellationToken));

    /// <summary>Opens Stripe's customer portal for the organization's customer.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The portal URL.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPost("portal/create")]
    [Idempotent]
    [Consumes("application/json", IsOptional = true)]
    [ProducesResponseType(typeof(PortalSessionView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> CreateOrganizationPortal([FromRoute(Name = "organization_id")] string organizationId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new CreatePortalSession(Account(organizationId), User.EmailAddress(), Caller(organizationId)), cancellationToken));

    /// <summary>Lists the organization's saved cards and bank accounts.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The cards; empty before the organization's first checkout.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    [HttpGet("payment-methods")]
    [ProducesResponseType(typeof(PaymentMethodList), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> ListOrganizationPaymentMethods([FromRoute(Name = "organization_id")] string organizationId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ListPaymentMethods(Account(organizationId), Caller(organizationId)), cancellationToken));

    /// <summary>The organization's invoices, newest first, from this service's invoice book.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="limit">1 to 100 (default 10).</param>
    /// <param name="startingAfter">The id of the last invoice of the previous page.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">A page of invoices.</response>
    /// <response code="400">limit out of range, or starting_after not an invoice id.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    [HttpGet("invoices")]
    [ProducesResponseType(typeof(InvoiceList), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> ListOrganizationInvoices([FromRoute(Name = "organization_id")] string organizationId, [FromQuery] int limit = 10, [FromQuery(Name = "starting_after")] string? startingAfter = null, CancellationToken cancellationToken = default) =>
        await InvoicePageAsync(new ListInvoices(Account(organizationId), limit, startingAfter, Caller(organizationId)), cancellationToken);

    /// <summary>Cancels the organization's subscription, at the end of the period unless <c>at_period_end</c> is false.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="request">Which subscription, and when.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The subscription after cancelling.</response>
    /// <response code="400">A malformed subscription id or body.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPost("subscription/cancel")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> CancelOrganizationSubscription([FromRoute(Name = "organization_id")] string organizationId, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CancelRequest? request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new CancelSubscription(Account(organizationId), request?.SubscriptionId, request?.AtPeriodEnd ?? true, RequestKey, Caller(organizationId)), cancellationToken));

    /// <summary>Keeps the organization's subscription that was set to end, or resumes a paused one.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The subscription after resuming.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="409">Nothing to resume.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPost("subscription/resume")]
    [Idempotent]
    [Consumes("application/json", IsOptional = true)]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> ResumeOrganizationSubscription([FromRoute(Name = "organization_id")] string organizationId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ResumeSubscription(Account(organizationId), RequestKey, Caller(organizationId)), cancellationToken));

    /// <summary>Lifts the change of plan scheduled for the end of the organization's period.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The subscription, with no change scheduled.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="404">No change is scheduled.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpDelete("subscription/scheduled-change")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> LiftOrganizationScheduledChange([FromRoute(Name = "organization_id")] string organizationId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new LiftScheduledChange(Account(organizationId), RequestKey, Caller(organizationId)), cancellationToken));

    /// <summary>Moves the organization's subscription to another tier or cycle; its seats stay.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="request">The new tier and cycle.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The subscription after the change.</response>
    /// <response code="400">Unknown tier or cycle.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="409">The subscription is already on that plan.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPost("subscription/upgrade")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> ChangeOrganizationTier([FromRoute(Name = "organization_id")] string organizationId, [FromBody] ChangeTierRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ChangeSubscriptionTier(Account(organizationId), request.NewTierId, request.BillingCycle, RequestKey, request.KeepCancellation ?? true, Caller(organizationId)), cancellationToken));

    /// <summary>What a change of the organization's tier would cost now, without making it.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="request">The new tier and cycle.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The preview.</response>
    /// <response code="400">Unknown tier or cycle.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPost("subscription/upgrade/preview")]
    [ProducesResponseType(typeof(TierChangePreview), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> PreviewOrganizationTierChange([FromRoute(Name = "organization_id")] string organizationId, [FromBody] ChangeTierRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new PreviewTierChange(Account(organizationId), request.NewTierId, request.BillingCycle, Caller(organizationId)), cancellationToken));

    /// <summary>The organization's seats: billed, its members now, and the tier's bounds; any member may read them.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The seats.</response>
    [HttpGet("seats")]
    [ProducesResponseType(typeof(SeatsView), StatusCodes.Status200OK)]
    public async Task<IActionResult> GetOrganizationSeats([FromRoute(Name = "organization_id")] string organizationId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new GetOrganizationSeats(Account(organizationId), Caller(organizationId)), cancellationToken));

    /// <summary>Sets how many seats the organization's subscription bills for, prorated as configured.</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="request">The seats.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The subscription with its new seats.</response>
    /// <response code="400">Seats missing, not positive, or out of the tier's bounds (<c>seats_out_of_range</c>).</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="404">No organization of the caller's with this id, or no live subscription (<c>subscription_not_found</c>).</response>
    /// <response code="409">Fewer seats than members (<c>seats_below_members</c>), or seats that follow the members (<c>seats_follow_members</c>).</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPut("seats")]
    [Idempotent]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> SetOrganizationSeats([FromRoute(Name = "organization_id")] string organizationId, [FromBody] SeatsRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ChangeOrganizationSeats(Account(organizationId), request.Seats ?? 0, Caller(organizationId)), cancellationToken));

    /// <summary>Counts the organization's members again and sets its seats to them (with <c>Billing__Organizations__SeatsFollowMembers=true</c>).</summary>
    /// <param name="organizationId">The Keycloak organization's id.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The subscription with its seats; no Stripe call when they were right.</response>
    /// <response code="403">The caller lacks the organization billing role.</response>
    /// <response code="404">No organization of the caller's with this id, or no live subscription.</response>
    /// <response code="409">Seats are set by the managers here (<c>seats_set_by_managers</c>).</response>
    /// <response code="429">Too many requests; see Retry-After.</response>
    [HttpPost("seats/sync")]
    [Idempotent]
    [Consumes("application/json", IsOptional = true)]
    [ProducesResponseType(typeof(SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> SyncOrganizationSeats([FromRoute(Name = "organization_id")] string organizationId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ChangeOrganizationSeats(Account(organizationId), null, Caller(organizationId)), cancellationToken));
}
