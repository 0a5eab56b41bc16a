using System.Net;
using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Logging;
using Billing.Infrastructure.Messaging;
using Refit;

namespace Billing.Infrastructure.Lago;

/// <summary>
/// Mirrors the account in Lago: the customer (external_id = the Stripe customer id) and, when plan codes are
/// configured, the subscription (external_id = the Stripe subscription id, plan_code from the tier).
/// </summary>
internal sealed class LagoUsageLedger(ILagoApi lago, LagoOptions options, ILogger<LagoUsageLedger> logger) : IUsageLedger
{
    public bool Enabled => options.Enabled;

    public async Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.StripeCustomerId is null)
        {
            return "No Stripe customer yet; nothing to mirror in Lago.";
        }

        try
        {
            var metadata = new List<LagoMetadata> { new("tier", state.Tier, false) };
            if (state.StripeSubscriptionId is not null)
            {
                metadata.Add(new LagoMetadata("subscription_id", state.StripeSubscriptionId, false));
            }

            using var customer = await lago.UpsertCustomerAsync(
                new LagoCustomerEnvelope(new LagoCustomer(
                    state.StripeCustomerId,
                    string.IsNullOrEmpty(state.Email) ? null : state.Email,
                    string.IsNullOrEmpty(state.Email) ? state.UserId : state.Email,
                    new LagoBillingConfiguration("stripe", state.StripeCustomerId, Sync: false),
                    metadata)),
                cancellationToken);
            if (!customer.IsSuccessStatusCode)
            {
                return Failure(customer, "upsert the customer");
            }

            if (state.StripeSubscriptionId is null || !options.PlanCodes.TryGetValue(state.Tier, out var planCode) && state.SubscriptionLive)
            {
                return $"Lago customer {state.StripeCustomerId} updated.";
            }

            if (state.SubscriptionLive)
            {
                using var subscription = await lago.UpsertSubscriptionAsync(
                    new LagoSubscriptionEnvelope(new LagoSubscription(state.StripeCustomerId, planCode!, state.StripeSubscriptionId)),
                    cancellationToken);
                return subscription.IsSuccessStatusCode
                    ? $"Lago customer {state.StripeCustomerId} on plan {planCode}."
                    : Failure(subscription, "create or change the subscription");
            }

            using var terminated = await lago.TerminateSubscriptionAsync(state.StripeSubscriptionId, cancellationToken);
            return terminated.IsSuccessStatusCode || terminated.StatusCode == HttpStatusCode.NotFound
                ? $"Lago subscription {state.StripeSubscriptionId} terminated."
                : Failure(terminated, "terminate the subscription");
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Lago is unreachable: {ErrorType}", e.GetType().Name);
            return new Error(ErrorKind.UpstreamUnavailable, "lago_unreachable", "Lago could not be reached.");
        }
    }

    private static Error Failure(IApiResponse response, string action)
    {
        // Lago's 422 names the field and the rule (error_details); it holds no secret, and it is the reason to park.
        var reason = (response.Error as ApiException)?.Content is { Length: > 0 } body ? body[..Math.Min(body.Length, 500)] : string.Empty;
        return response.StatusCode switch
        {
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => Error.Invalid("lago", "lago_rejected", $"Lago refused to {action}: {reason}"),
            HttpStatusCode.NotFound => Error.NotFound("lago_not_found", $"Lago answered 404 when asked to {action}: {reason}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new Error(ErrorKind.NotConfigured, "lago_key_rejected", "Lago refused LAGO_API_KEY."),
            _ => new Error(ErrorKind.UpstreamUnavailable, "lago_unavailable", $"Lago answered {(int?)response.StatusCode} when asked to {action}."),
        };
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await lago.ListCustomersAsync(1, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e))
        {
            return false;
        }
    }
}
