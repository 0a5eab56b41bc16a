using Billing.Api.Auth;
using Billing.Api.Contracts;
using Billing.Application.Usage.Record;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>Usage from trusted services, billed through Lago.</summary>
[Route("api/v1/billing/usage")]
[Tags("Usage")]
[Authorize(Policy = BillingClaims.UsageWriterPolicy)]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class UsageController(ISender sender) : BillingControllerBase(sender)
{
    /// <summary>Records a batch of usage events; each reaches Lago once.</summary>
    /// <remarks>
    /// For services holding the usage-writer realm role (<c>billing-usage-writer</c> by default), never for users.
    /// Each event is accepted once per <c>transaction_id</c>: sending it again answers <c>duplicate</c> and changes
    /// nothing, so a batch can be retried whole. An accepted event is stored before the answer and delivered to
    /// Lago (<c>POST /api/v1/events/batch</c>) in the background with the user's subscription as
    /// <c>external_subscription_id</c>, retried while Lago is down. An event for a user without a live subscription
    /// is <c>rejected</c> (<c>no_live_subscription</c>) on its own, unless teams are billed and one of their
    /// organizations gives their access: then the organization's subscription is billed. A malformed batch is refused
    /// whole and stores nothing.
    /// </remarks>
    /// <response code="200">What became of each event, in the order sent.</response>
    /// <response code="400">A malformed batch (none stored): no events or more than 100, a missing transaction_id, user_id or code, a future timestamp, nested properties.</response>
    /// <response code="502">Keycloak could not say which organization bills a user without a subscription (nothing stored; send the batch again).</response>
    /// <response code="503">Lago is not configured, so usage cannot be recorded.</response>
    [HttpPost]
    [ProducesResponseType(typeof(UsageReceipt), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Record([FromBody] UsageBatchRequest request, CancellationToken cancellationToken) =>
        From(await Sender.Send(new RecordUsage(request.Events), cancellationToken));
}
