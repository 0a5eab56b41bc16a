using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Infrastructure;

/// <summary>
/// The one shape of every problem document this API writes, whatever wrote it (a handler's result, model
/// binding, the exception handler, authentication, the status-code pages): <c>type</c> from one base,
/// <c>title</c>, <c>status</c>, <c>detail</c>, a <c>code</c> on every error, and the trace id as <c>trace_id</c>.
/// </summary>
public static class ProblemShape
{
    public const string TypeBase = "https://httpstatuses.io/";

    public static void Apply(ProblemDetails problem, HttpContext http, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(http);
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        problem.Type = TypeBase + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        problem.Title ??= DefaultTitle(status);
        problem.Extensions.Remove("traceId");
        problem.Extensions["trace_id"] = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        if (code is not null || !problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = code ?? DefaultCode(status);
        }
    }

    /// <summary>The code of a problem no handler named: what the status means, in words.</summary>
    public static string DefaultCode(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => "conflict",
        413 => "request_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_requests",
        502 => "upstream_unavailable",
        503 => "unavailable",
        _ => status >= 500 ? "internal_error" : "error",
    };

    /// <summary>The title of a problem no handler named, by its status.</summary>
    public static string DefaultTitle(int status) => status switch
    {
        401 => "Authentication is required.",
        402 => "The payment was declined.",
        403 => "This is not allowed for the caller.",
        404 => "Not found.",
        405 => "This method is not allowed here.",
        409 => "The request conflicts with the current state.",
        413 => "The request body is too large.",
        415 => "The request's content type is not supported; send application/json.",
        422 => "The request cannot be processed.",
        429 => "Too many requests.",
        502 => "A service this one depends on did not answer.",
        503 => "This is not available now; retry later.",
        _ => status >= 500 ? "An unexpected error occurred." : "The request is not valid.",
    };
}
