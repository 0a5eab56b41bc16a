using System.Net;
using Billing.Application.Common.Results;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Stripe's failures in billing terms. Only card errors carry Stripe's message to the caller (it is written for
/// customers); every other message may name parameters or internals and stays in our logs.
/// </summary>
internal static class StripeErrors
{
    public static readonly Error MissingApiKey = new(
        ErrorKind.NotConfigured,
        "stripe_not_configured",
        "Payments are not configured: the STRIPE_API_KEY setting is missing.");

    public static Error From(StripeException exception, ILogger logger, string operation)
    {
        var status = exception.HttpStatusCode;
        var error = exception.StripeError;
        logger.LogWarning(
            "Stripe {Operation} failed: HTTP {Status}, type {Type}, code {Code}, request {RequestId}",
            operation,
            (int)status,
            error?.Type,
            error?.Code,
            exception.StripeResponse?.RequestId);

        // A card error's message is written for the customer; any other 402 may name internals.
        if (error?.Type == "card_error")
        {
            return new Error(ErrorKind.PaymentDeclined, error.Code is { } code && CardErrorCodes.Contains(code) ? code : "card_declined", error.Message ?? "The card was declined.");
        }

        if (status == HttpStatusCode.PaymentRequired)
        {
            return new Error(ErrorKind.PaymentDeclined, "payment_failed", "The payment could not be completed.");
        }

        return status switch
        {
            HttpStatusCode.TooManyRequests => new Error(ErrorKind.RateLimited, "stripe_rate_limited", "The payment provider is rate limiting this service; retry shortly.", RetryAfter: RetryAfter(exception)),
            HttpStatusCode.Conflict when error?.Code == "idempotency_key_in_use" => new Error(ErrorKind.RateLimited, "stripe_busy", "The payment provider is still processing the same request; retry shortly.", RetryAfter: RetryAfter(exception)),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new Error(ErrorKind.NotConfigured, "stripe_key_rejected", "Payments are misconfigured: Stripe rejected the STRIPE_API_KEY setting."),
            HttpStatusCode.NotFound => Error.NotFound("stripe_resource_missing", "The payment provider does not know this object."),
            HttpStatusCode.Conflict => Error.Conflict("stripe_conflict", "The payment provider is processing a conflicting request; retry shortly."),
            HttpStatusCode.BadRequest when error?.Type == "idempotency_error" => Error.Conflict("idempotency_key_reused", "This Idempotency-Key was used for a different request."),
            _ => new Error(ErrorKind.UpstreamUnavailable, "stripe_unavailable", "The payment provider could not complete the request."),
        };
    }

    /// <summary>Stripe's card error codes passed on as they are (the API documents them); any other is <c>card_declined</c>.</summary>
    private static readonly HashSet<string> CardErrorCodes = new(StringComparer.Ordinal)
    {
        "card_declined", "expired_card", "incorrect_cvc", "incorrect_number", "processing_error", "authentication_required",
    };

    /// <summary>Answers that only say "not now": a rate limit, or the same idempotency key still in flight.</summary>
    public static bool IsBusy(StripeException exception) =>
        exception.HttpStatusCode == HttpStatusCode.TooManyRequests ||
        (exception.HttpStatusCode == HttpStatusCode.Conflict && exception.StripeError?.Code == "idempotency_key_in_use");

    public static Error Unreachable(Exception exception, ILogger logger, string operation)
    {
        logger.LogWarning("Stripe {Operation} failed at the transport: {ErrorType}", operation, exception.GetType().Name);
        return new Error(ErrorKind.UpstreamUnavailable, "stripe_unreachable", "The payment provider could not be reached.");
    }

    private static TimeSpan RetryAfter(StripeException exception)
    {
        var header = exception.StripeResponse?.Headers?.RetryAfter;
        return header?.Delta ?? TimeSpan.FromSeconds(2);
    }
}
