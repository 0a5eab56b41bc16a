using Billing.Application.Ports;
using Billing.Infrastructure.Configuration;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Infrastructure;

/// <summary>
/// Turns every exception that escapes a request into a problem document. Validation failures are the caller's
/// and say which field; everything else is ours, is logged with its trace id, and says nothing of internals.
/// </summary>
internal sealed class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        switch (exception)
        {
            case ValidationException validation:
                problem = new ValidationProblemDetails(validation.Errors
                    .GroupBy(e => ToSnakeCase(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()))
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request is not valid.",
                    Detail = string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct()),
                };
                problem.Extensions["code"] = "invalid_request";
                break;
            case BadHttpRequestException bad:
                problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request is not valid.", Detail = "The request could not be read." };
                break;
            case SettingException setting:
                logger.LogError("A required setting is missing or wrong: {Setting}", setting.Setting);
                problem = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "This feature is not configured.", Detail = setting.Message };
                break;
            case ConcurrentChangeException:
                // The pipeline already ran the command again several times; each run saved nothing.
                logger.LogWarning("{Method} {Path} kept meeting concurrent changes of its account; answered 409.", httpContext.Request.Method, httpContext.Request.Path);
                problem = new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "The account kept changing.", Detail = "The account changed while this request ran, several times over; nothing was saved. Send the request again." };
                problem.Extensions["code"] = "concurrent_change";
                httpContext.Response.Headers.RetryAfter = "1";
                break;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                // The caller went away; there is nobody to answer.
                return true;
            default:
                logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
                problem = new ProblemDetails
                {
                    Status = StatusCodes.Status500InternalServerError,
                    Title = "An unexpected error occurred.",
                    Detail = "The error was logged; quote the trace id when reporting it.",
                };
                break;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static string ToSnakeCase(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
