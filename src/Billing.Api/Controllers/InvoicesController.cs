using Billing.Api.Auth;
using Billing.Application.Invoices.List;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>The caller's own invoices.</summary>
[Route("api/v1/billing/invoices")]
[Tags("Invoices")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status401Unauthorized, "application/problem+json")]
public sealed class InvoicesController(ISender sender) : BillingControllerBase(sender)
{
    /// <summary>The caller's invoices, newest first, with their hosted page and PDF.</summary>
    /// <remarks>
    /// From this service's own invoice book, kept by Stripe's <c>invoice.*</c> webhooks: no Stripe call, except once
    /// per account to bring in invoices from before. Page with <c>starting_after</c> set to the last id of a page
    /// while <c>has_more</c> is true. Another user's invoices are never listed.
    /// </remarks>
    /// <param name="limit">1 to 100 (default 10).</param>
    /// <param name="startingAfter">The id of the last invoice of the previous page.</param>
    /// <param name="cancellationToken">Aborted request.</param>
    /// <response code="200">A page of invoices.</response>
    /// <response code="400">limit out of range, or starting_after not an invoice id.</response>
    /// <response code="502">Stripe could not be reached for the first fill.</response>
    /// <response code="503">Stripe is rate limiting the first fill.</response>
    [HttpGet]
    [ProducesResponseType(typeof(InvoiceList), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> ListInvoices([FromQuery] int limit = 10, [FromQuery(Name = "starting_after")] string? startingAfter = null, CancellationToken cancellationToken = default) =>
        await InvoicePageAsync(new ListInvoices(User.UserId(), limit, startingAfter), cancellationToken);
}
