using System.Buffers;
using System.Text;
using Billing.Api.Infrastructure;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Receive;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>Stripe's webhook: verified over the raw body, stored, answered; processed in the background.</summary>
[Route("api/v1/billing/webhooks")]
[Tags("Webhooks")]
public sealed class WebhooksController(ISender sender) : BillingControllerBase(sender)
{
    public const int MaxPayloadBytes = 512 * 1024;

    /// <summary>Receives a Stripe event.</summary>
    /// <remarks>
    /// Anonymous; authenticated by the <c>Stripe-Signature</c> header over the raw body (timestamp tolerance 300 s,
    /// several secrets accepted during a rotation). A verified event is stored before the 200 goes back; a
    /// duplicate delivery is answered 200 and not processed again. Event types the service does not act on are
    /// stored as ignored.
    /// </remarks>
    /// <response code="200">Stored (or already stored).</response>
    /// <response code="400">Missing, invalid or stale signature; malformed JSON; a body over 512 KiB. Nothing is stored.</response>
    /// <response code="503">No webhook secret is configured (STRIPE_WEBHOOK_SECRET).</response>
    [HttpPost("stripe")]
    [AllowAnonymous]
    [DisableRequestSizeLimit]
    [Consumes("application/json")]
    [ProducesResponseType(typeof(WebhookReceipt), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Stripe(CancellationToken cancellationToken)
    {
        var payload = await ReadCappedAsync(Request.Body, Request.ContentLength, MaxPayloadBytes, cancellationToken);
        if (payload is null)
        {
            return Error.Invalid("body", "payload_too_large", $"The body is larger than {MaxPayloadBytes / 1024} KiB.").ToActionResult(HttpContext);
        }

        return From(await Sender.Send(new ReceiveStripeEvent(payload, Request.Headers["Stripe-Signature"].FirstOrDefault()), cancellationToken));
    }

    /// <summary>
    /// Reads the body as UTF-8 up to <paramref name="limit"/> bytes; null when it is longer. The buffer is sized by the
    /// declared length and the chunk is borrowed: a fresh 16 KiB array zeroed for every webhook was a visible part of
    /// receipt's CPU in a burst.
    /// </summary>
    private static async Task<string?> ReadCappedAsync(Stream body, long? declaredLength, int limit, CancellationToken cancellationToken)
    {
        if (declaredLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream((int)(declaredLength ?? 0));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
