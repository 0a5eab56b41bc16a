using Billing.Api.Auth;
using Billing.Application.Common.Results;
using Billing.Application.Admin.Accounts;
using Billing.Application.Admin.SyncFailures;
using Billing.Application.Admin.WebhookEvents;
using Billing.Application.Admin.ExtendTrial;
using Billing.Api.Contracts;
using Billing.Api.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>Operations for billing admins (the realm role named by KEYCLOAK_ADMIN_ROLE).</summary>
[Route("api/v1/billing/admin")]
[Tags("Admin")]
[Authorize(Policy = BillingClaims.AdminPolicy)]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class AdminController(ISender sender) : BillingControllerBase(sender)
{
    /// <summary>Stripe events in the inbox, newest first; <c>status=failed</c> lists the parked ones.</summary>
    /// <param name="status">pending, processed, ignored or failed.</param>
    /// <param name="limit">1 to 500 (default 50).</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The events.</response>
    /// <response code="400">Unknown status or limit out of range.</response>
    [HttpGet("webhook-events")]
    [ProducesResponseType(typeof(IReadOnlyList<WebhookEventView>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> WebhookEvents([FromQuery] string? status, [FromQuery] int limit = 50, CancellationToken cancellationToken = default) =>
        From(await Sender.Send(new ListWebhookEvents(status, limit), cancellationToken));

    /// <summary>Processes a stored Stripe event again (for example a parked one, once its cause is fixed).</summary>
    /// <response code="202">Queued for processing.</response>
    /// <response code="404">No such event.</response>
    [HttpPost("webhook-events/{id}/replay")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> ReplayWebhookEvent(string id, CancellationToken cancellationToken) =>
        Queued(await Sender.Send(new ReplayWebhookEvent(id, User.UserId()), cancellationToken));

    /// <summary>Outbox messages to Keycloak or Lago parked after their retries, with the reason.</summary>
    /// <param name="limit">1 to 500 (default 50).</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The parked messages, newest first.</response>
    /// <response code="400">Limit out of range.</response>
    [HttpGet("sync-failures")]
    [ProducesResponseType(typeof(IReadOnlyList<SyncMessageView>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> SyncFailures([FromQuery] int limit = 50, CancellationToken cancellationToken = default) =>
        From(await Sender.Send(new ListSyncFailures(limit), cancellationToken));

    /// <summary>Delivers a parked message again; it carries the account's state as it is at delivery.</summary>
    /// <response code="202">Queued for delivery.</response>
    /// <response code="404">No such parked message.</response>
    [HttpPost("sync-failures/{id:guid}/replay")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> ReplaySyncMessage(Guid id, CancellationToken cancellationToken) =>
        Queued(await Sender.Send(new ReplaySyncMessage(id, User.UserId()), cancellationToken));

    /// <summary>A user's billing account, its outbox and the last result of each sync target.</summary>
    /// <remarks>An organization's account is <c>org:{organization_id}</c>; its view names the organization and its seats.</remarks>
    /// <response code="200">The account.</response>
    /// <response code="404">The user has no billing account.</response>
    [HttpGet("accounts/{userId}")]
    [ProducesResponseType(typeof(AccountAdminView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Account(string userId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new GetAccount(userId), cancellationToken));

    /// <summary>Moves the end of a user's free trial later (Stripe's <c>trial_end</c>), recorded in the account's history.</summary>
    /// <remarks>Send an <c>Idempotency-Key</c>: a retry with it answers the first result and moves nothing twice.</remarks>
    /// <response code="200">The subscription with its new <c>trial_end</c>.</response>
    /// <response code="400">days out of range (1 to Billing:Trials:MaxExtensionDays).</response>
    /// <response code="404">The user has no billing account.</response>
    /// <response code="409">The user is not on a free trial.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting.</response>
    [HttpPost("accounts/{userId}/trial/extend")]
    [Idempotent]
    [ProducesResponseType(typeof(Billing.Application.Accounts.SubscriptionStatusView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> ExtendTrial(string userId, [FromBody] ExtendTrialRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ExtendTrial(userId, request.Days, User.UserId(), Request.Headers[IdempotentAttribute.Header].FirstOrDefault()), cancellationToken));

    /// <summary>Credits a customer's Stripe balance; the next invoices use it.</summary>
    /// <remarks>
    /// A credit without a refund (a goodwill gesture, an outage, a deal): a customer balance transaction in Stripe, in
    /// the account's billing currency only. Send an <c>Idempotency-Key</c>: a retry with it credits once. Audited and
    /// recorded in the account's history; the user sees it in <c>GET /balance</c> and the status's <c>credit_balance</c>.
    /// </remarks>
    /// <response code="200">The account's balance with the credit.</response>
    /// <response code="400">amount, currency or reason missing or out of range, or another currency than the account's (<c>currency_mismatch</c>).</response>
    /// <response code="404">The user has no billing account with a Stripe customer.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting.</response>
    [HttpPost("accounts/{userId}/credits")]
    [Idempotent]
    [ProducesResponseType(typeof(Billing.Application.Balance.BalanceView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> CreditBalance(string userId, [FromBody] CreditRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Balance.Credit.CreditBalance(userId, request.Amount ?? 0, request.Currency, request.Reason, User.UserId(), Request.Headers[IdempotentAttribute.Header].FirstOrDefault()), cancellationToken));

    /// <summary>Refunds an invoice's payment, in full or in part; optionally ends the subscription at once.</summary>
    /// <remarks>
    /// Never more than what is left of the payment. The Stripe idempotency key is derived from the request (invoice,
    /// amount, reason and the <c>Idempotency-Key</c> header), so a retry never refunds twice; send a new key for a
    /// second refund of the same amount. Recorded in the account's history.
    /// </remarks>
    /// <response code="200">The refund and the invoice as it now stands.</response>
    /// <response code="400">Malformed invoice id, amount or reason, or more than is left to refund (<c>refund_exceeds_payment</c>).</response>
    /// <response code="404">No such invoice.</response>
    /// <response code="409">The invoice is not paid, or all of it was refunded.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting.</response>
    [HttpPost("refunds")]
    [Idempotent]
    [ProducesResponseType(typeof(Billing.Application.Admin.Refunds.RefundView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Refund([FromBody] RefundRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Admin.Refunds.RefundInvoice(request.InvoiceId, request.Amount, request.Reason, request.CancelSubscription ?? false, User.UserId(), Request.Headers[IdempotentAttribute.Header].FirstOrDefault()), cancellationToken));

    /// <summary>Payment disputes (chargebacks), newest first.</summary>
    /// <param name="status">open (waiting on evidence or the bank), closed, or all (default).</param>
    /// <param name="limit">1 to 500 (default 50).</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The disputes.</response>
    /// <response code="400">Unknown status or limit out of range.</response>
    [HttpGet("disputes")]
    [ProducesResponseType(typeof(IReadOnlyList<Billing.Application.Admin.Disputes.DisputeView>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Disputes([FromQuery] string? status, [FromQuery] int limit = 50, CancellationToken cancellationToken = default) =>
        From(await Sender.Send(new Billing.Application.Admin.Disputes.ListDisputes(status, limit), cancellationToken));

    /// <summary>Erases a user's personal data in this service (a data subject's request) and says what it kept.</summary>
    /// <remarks>
    /// Removes the e-mail address from the account, empties the bodies of messages sent to Keycloak, Lago and the
    /// mail server (e-mails not yet sent are not sent), forgets remembered answers, and minimises stored Stripe
    /// events. Ids and amounts the law requires for accounting (invoices, refunds, disputes, revenue) are kept; the
    /// answer lists them. Stripe, Keycloak and Lago keep their own copies.
    /// </remarks>
    /// <param name="userId">The user's id (Keycloak subject).</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">What was erased and what was kept.</response>
    /// <response code="404">No account for that user.</response>
    [HttpDelete("accounts/{userId}")]
    [ProducesResponseType(typeof(Billing.Application.Admin.Erase.ErasureReport), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> EraseAccount(string userId, CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Admin.Erase.EraseAccount(userId, User.UserId()), cancellationToken));

    /// <summary>Reconciles one user's account now: Stripe with the store, and the store with Keycloak and Lago.</summary>
    /// <remarks>
    /// Drift found in Stripe (tier, status, a subscription the store does not hold, a deleted customer) is applied
    /// through the same path as a webhook; attributes in Keycloak or a plan in Lago out of step are queued again in
    /// the outbox. With <c>dry_run</c> the report says what would be repaired and nothing changes. Every account is
    /// reconciled on a schedule (<c>Billing__Reconcile__Interval</c>, daily) and by <c>reconcile</c> on the command line.
    /// </remarks>
    /// <response code="200">The report: what was compared, found and repaired.</response>
    /// <response code="400">user_id missing or too long.</response>
    /// <response code="404">No account for that user.</response>
    /// <response code="502">Stripe could not be reached.</response>
    /// <response code="503">Payments are not configured, or Stripe is rate limiting.</response>
    [HttpPost("reconcile")]
    [ProducesResponseType(typeof(Billing.Application.Admin.Reconcile.ReconciliationReport), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Reconcile([FromBody] ReconcileRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Admin.Reconcile.RunReconciliation(request.UserId ?? string.Empty, request.DryRun ?? false, User.UserId()), cancellationToken));

    /// <summary>The report of the reconciliation that finished last (scheduled, command line or by an administrator).</summary>
    /// <response code="200">The report.</response>
    /// <response code="404">No reconciliation has finished yet.</response>
    [HttpGet("reconcile/last")]
    [ProducesResponseType(typeof(Billing.Application.Admin.Reconcile.ReconciliationReport), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> LastReconciliation(CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Admin.LastReconciliation.GetLastReconciliation(), cancellationToken));

    /// <summary>The audit trail: every administrator action (replays, trial extensions, refunds), newest first.</summary>
    /// <remarks>Each entry says who (the admin's user id), what (the action and its target), when, and how it ended: <c>succeeded</c>, the failure's code, or <c>threw</c>.</remarks>
    /// <param name="adminId">Only this administrator's actions.</param>
    /// <param name="target">Only actions whose target contains this text (an invoice id, a user id).</param>
    /// <param name="limit">1 to 500 (default 50).</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The entries.</response>
    /// <response code="400">limit out of range.</response>
    [HttpGet("audit")]
    [ProducesResponseType(typeof(IReadOnlyList<Billing.Application.Common.Audit.AuditEntry>), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Audit([FromQuery(Name = "admin_id")] string? adminId, [FromQuery] string? target, [FromQuery] int limit = 50, CancellationToken cancellationToken = default) =>
        From(await Sender.Send(new Billing.Application.Admin.Audit.ListAuditEntries(adminId, target, limit), cancellationToken));

    /// <summary>Recurring revenue in one currency, from this service's store (no Stripe call).</summary>
    /// <remarks>
    /// MRR counts active subscriptions at what they pay per month, tax excluded: yearly prices divided by 12, recurring
    /// discounts applied (a one-time discount does not lower it). ARR is MRR × 12. Trials and past-due or unpaid
    /// subscriptions are counted apart, with the MRR they would add. <c>thirty_day_movements</c> shows what moved it over the last 30 days: new,
    /// reactivated and churned subscriptions with their MRR, expansion and contraction, and trial conversion.
    /// </remarks>
    /// <param name="currency">Three-letter ISO code; the catalog's currency when omitted.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The figures.</response>
    /// <response code="400">currency is not a three-letter code.</response>
    [HttpGet("revenue")]
    [ProducesResponseType(typeof(Billing.Application.Admin.Revenue.RevenueView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Revenue([FromQuery] string? currency, CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Admin.Revenue.GetRevenue(currency), cancellationToken));

    /// <summary>Recurring revenue per calendar month (UTC), newest first, from the history kept as Stripe's events arrived.</summary>
    /// <remarks>
    /// Each month shows MRR at its end (to date for the current month) and what moved it, counted as in
    /// <c>GET /admin/revenue</c>. A month's MRR is today's less every later movement, so accounts from before the
    /// history began are counted too.
    /// </remarks>
    /// <param name="currency">Three-letter ISO code; the catalog's currency when omitted.</param>
    /// <param name="months">1 to 36 (default 12).</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">The months.</response>
    /// <response code="400">currency is not a three-letter code, or months is out of range.</response>
    [HttpGet("revenue/history")]
    [ProducesResponseType(typeof(Billing.Application.Admin.RevenueHistory.RevenueHistoryView), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> RevenueHistory([FromQuery] string? currency, [FromQuery] int? months, CancellationToken cancellationToken) =>
        From(await Sender.Send(new Billing.Application.Admin.RevenueHistory.GetRevenueHistory(currency, months), cancellationToken));

    /// <summary>A replay is work queued for a background worker: 202 with what will happen, or the problem.</summary>
    private IActionResult Queued(Result<string> result) =>
        result.IsSuccess ? Accepted(new { message = result.Value }) : From(result);
}
