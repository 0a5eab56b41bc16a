using Billing.Api.Infrastructure;
using Billing.Application.Common.Results;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>Controllers only send commands and queries and translate their results.</summary>
[ApiController]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status500InternalServerError, "application/problem+json")]
public abstract class BillingControllerBase(ISender sender) : ControllerBase
{
    protected ISender Sender { get; } = sender;

    protected IActionResult From<T>(Result<T> result) =>
        result.IsSuccess ? Ok(result.Value) : result.Error!.ToActionResult(HttpContext);
}
