using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Infrastructure;

/// <summary>Malformed JSON or a body of the wrong shape: 400, naming the field in the caller's (snake_case) terms.</summary>
internal static class InvalidModelState
{
    public static IActionResult Respond(ActionContext context)
    {
        var errors = context.ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .ToDictionary(
                e => Field(e.Key),
                e => e.Value!.Errors.Select(x => string.IsNullOrEmpty(x.ErrorMessage) ? "The value is not valid." : Clean(x.ErrorMessage)).Distinct().ToArray());
        var problem = new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = errors.Count == 0 ? "The request body could not be read." : $"Check {string.Join(", ", errors.Keys.Where(k => k.Length > 0))}.",
        };
        ProblemShape.Apply(problem, context.HttpContext, "invalid_request");
        return new BadRequestObjectResult(problem) { ContentTypes = { "application/problem+json" } };
    }

    private static string Field(string key)
    {
        var trimmed = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key == "$" ? "body" : key;
        return trimmed.Length == 0 ? "body" : trimmed;
    }

    // System.Text.Json messages name .NET types and line positions; the caller needs neither.
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        // A message naming one of our own types says nothing the caller can use.
        return message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("Billing.", StringComparison.Ordinal)
            ? "The value has the wrong type or format."
            : message;
    }
}
