using Billing.Api.Auth;
using Billing.Application.Plans.List;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

[Route("api/v1/billing/plans")]
[Tags("Plans")]
public sealed class PlansController(ISender sender) : BillingControllerBase(sender)
{
    /// <summary>Lists the plan catalog: tiers, their prices per billing cycle and Stripe lookup keys.</summary>
    /// <remarks>
    /// Anonymous. Prices are in <c>currency</c> (any of <c>currencies</c>); without it, in the caller's billing
    /// currency once they have subscribed, else the catalog's default. A tier not sold in that currency is left out.
    /// With a bearer token, <c>current</c> tells which tier and cycle the caller holds.
    /// </remarks>
    /// <param name="currency">A three-letter currency code the catalog sells in, such as <c>eur</c>.</param>
    /// <param name="cancellationToken">Ends the request.</param>
    /// <response code="200">The catalog in that currency.</response>
    /// <response code="400">A currency the catalog does not sell in (<c>unknown_currency</c>).</response>
    [HttpGet]
    [AllowAnonymous]
    [ProducesResponseType(typeof(PlanList), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> ListPlans([FromQuery] string? currency, CancellationToken cancellationToken) =>
        From(await Sender.Send(new ListPlans(User.OptionalUserId(), currency), cancellationToken));
}
