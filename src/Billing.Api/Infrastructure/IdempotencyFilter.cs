using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Billing.Api.Auth;
using Billing.Application.Ports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Billing.Api.Infrastructure;

/// <summary>
/// Honours an <c>Idempotency-Key</c> header on a POST: the first answer is stored and replayed for retries of
/// the same request, so a double click or a network retry never runs the command (and its Stripe call) twice.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotentAttribute : Attribute, IFilterFactory
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    public bool IsReusable => false;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) => new IdempotencyFilter(
        serviceProvider.GetRequiredService<IIdempotencyStore>(),
        serviceProvider.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions);

    private sealed class IdempotencyFilter(IIdempotencyStore store, JsonSerializerOptions json) : IAsyncActionFilter
    {
        public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
        {
            var http = context.HttpContext;
            var key = http.Request.Headers[Header].ToString();
            if (key.Length == 0 || http.User.OptionalUserId() is not { } userId)
            {
                await next();
                return;
            }

            if (key.Length > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
            {
                context.Result = Problem(http, StatusCodes.Status400BadRequest, "The Idempotency-Key header is not valid.", $"Use at most {MaxKeyLength} printable ASCII characters, for example a UUID.");
                return;
            }

            var operation = $"{http.Request.Method} {http.Request.Path}";
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(operation + JsonSerializer.Serialize(context.ActionArguments.Where(a => a.Value is not CancellationToken).ToDictionary(a => a.Key, a => a.Value), json))));
            var claim = await store.ClaimAsync(userId, key, operation, hash, http.RequestAborted);
            switch (claim.Outcome)
            {
                case IdempotencyOutcome.Replay:
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    context.Result = new ContentResult
                    {
                        StatusCode = claim.StatusCode,
                        Content = claim.ResponseBody,
                        ContentType = claim.StatusCode >= 400 ? "application/problem+json" : "application/json",
                    };
                    return;
                case IdempotencyOutcome.Mismatch:
                    context.Result = Problem(http, StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for another request.", "Send a new key for a new request; reuse a key only to retry the same request.");
                    return;
                case IdempotencyOutcome.InProgress:
                    http.Response.Headers.RetryAfter = "1";
                    context.Result = Problem(http, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still in progress.", "Retry after it finishes to get its answer.");
                    return;
            }

            var executed = await next();
            if (executed.Exception is not null && !executed.ExceptionHandled)
            {
                await store.ReleaseAsync(userId, key, CancellationToken.None);
                return;
            }

            if (executed.Result is ObjectResult { StatusCode: var status } result && (status ?? 200) < 500)
            {
                await store.CompleteAsync(userId, key, status ?? 200, JsonSerializer.Serialize(result.Value, result.Value?.GetType() ?? typeof(object), json), CancellationToken.None);
            }
            else
            {
                // Answers worth retrying (5xx, 503 not configured, 502 Stripe down) are not remembered.
                await store.ReleaseAsync(userId, key, CancellationToken.None);
            }
        }

        private static ObjectResult Problem(HttpContext http, int status, string title, string detail)
        {
            var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
            ProblemShape.Apply(problem, http, status switch
            {
                StatusCodes.Status400BadRequest => "idempotency_key_invalid",
                StatusCodes.Status409Conflict => "idempotency_key_in_use",
                StatusCodes.Status422UnprocessableEntity => "idempotency_key_reused",
                _ => null,
            });
            return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
        }
    }
}
