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
    /// <remarks>Anonymous. With a bearer token, <c>current</c> tells which tier and cycle the caller holds.</remarks>
    [HttpGet]
    [AllowAnonymous]
    [ProducesResponseType(typeof(PlanList), StatusCodes.Status200OK)]
    public async Task<PlanList> List(CancellationToken cancellationToken) =>
        await Sender.Send(new ListPlans(User.OptionalUserId()), cancellationToken);
}
