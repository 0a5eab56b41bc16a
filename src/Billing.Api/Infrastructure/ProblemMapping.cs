using Billing.Application.Common.Results;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Infrastructure;

/// <summary>The one place where an expected failure becomes an HTTP status and a problem document.</summary>
public static class ProblemMapping
{
    public static int StatusCode(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PaymentDeclined => StatusCodes.Status402PaymentRequired,
        ErrorKind.RateLimited => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotConfigured => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.UpstreamUnavailable => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IActionResult ToActionResult(this Error error, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = StatusCode(error.Kind);
        ProblemDetails problem;
        if (error.Kind == ErrorKind.Validation && error.Field is { } field)
        {
            problem = new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [error.Detail] });
        }
        else
        {
            problem = new ProblemDetails();
        }

        problem.Status = status;
        problem.Title = Title(error.Kind);
        problem.Detail = error.Detail;
        ProblemShape.Apply(problem, http, error.Code);
        if (error.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
    }

    private static string Title(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => "The request is not valid.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Conflict => "The request conflicts with the current state.",
        ErrorKind.PaymentDeclined => "The payment was declined.",
        ErrorKind.RateLimited => "The payment provider is busy; retry later.",
        ErrorKind.TooManyRequests => "Too many requests.",
        ErrorKind.Forbidden => "Not allowed.",
        ErrorKind.NotConfigured => "This feature is not configured.",
        ErrorKind.UpstreamUnavailable => "The payment provider is unavailable.",
        _ => "Error.",
    };
}
