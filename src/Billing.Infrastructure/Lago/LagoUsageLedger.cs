using System.Net;
using System.Text.Json.Nodes;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Usage;
using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Messaging;
using Microsoft.Extensions.Logging;
using Refit;

namespace Billing.Infrastructure.Lago;

/// <summary>
/// Mirrors the account in Lago: the customer (external_id = the Stripe customer id) and, when plan codes are
/// configured, the subscription (external_id = the Stripe subscription id, plan_code from the tier).
/// Lago matches metadata by id and replaces it all, and pushes its copy of the customer to Stripe on every upsert
/// that carries a provider customer id, so the customer is read first: existing rows keep their ids, and the
/// Stripe link is sent only while Lago has none.
/// </summary>
internal sealed class LagoUsageLedger(ILagoApi lago, LagoOptions options, ILogger<LagoUsageLedger> logger) : IUsageLedger
{
    /// <summary>Lago's limits (L2): five items, keys of at most 20 characters, values of at most 100, none blank.</summary>
    public const int MaxMetadataItems = 5;
    public const int MaxMetadataKeyLength = 20;
    public const int MaxMetadataValueLength = 100;

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
            using var existing = await lago.GetCustomerAsync(state.StripeCustomerId, cancellationToken);
            if (!existing.IsSuccessStatusCode && existing.StatusCode != HttpStatusCode.NotFound)
            {
                return Failure(existing, "read the customer");
            }

            var current = existing.IsSuccessStatusCode ? existing.Content?["customer"] as JsonObject : null;
            using var customer = await lago.UpsertCustomerAsync(new LagoCustomerEnvelope(Customer(state, current)), cancellationToken);
            if (!customer.IsSuccessStatusCode)
            {
                return Failure(customer, "upsert the customer");
            }

            return await PublishSubscriptionAsync(state, cancellationToken);
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(e);
        }
    }

    public async Task<Result<IReadOnlyList<SyncDrift>>> CompareAsync(AccountState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.StripeCustomerId is null)
        {
            return Result<IReadOnlyList<SyncDrift>>.Success([]);
        }

        try
        {
            using var existing = await lago.GetCustomerAsync(state.StripeCustomerId, cancellationToken);
            if (existing.StatusCode == HttpStatusCode.NotFound)
            {
                return Result<IReadOnlyList<SyncDrift>>.Success([new SyncDrift("lago_customer_missing", $"Lago has no customer {state.StripeCustomerId}.")]);
            }

            if (!existing.IsSuccessStatusCode)
            {
                return Failure(existing, "read the customer");
            }

            var drift = new List<SyncDrift>();
            var metadata = (existing.Content?["customer"]?["metadata"] as JsonArray)?.OfType<JsonObject>()
                .ToDictionary(r => r["key"]?.GetValue<string>() ?? string.Empty, r => r["value"]?.ToString(), StringComparer.Ordinal) ?? [];
            foreach (var (key, expected) in new[] { ("tier", state.Tier), ("subscription_id", state.StripeSubscriptionId) })
            {
                if (metadata.GetValueOrDefault(key) != (expected is null ? null : Clip(expected)))
                {
                    drift.Add(new SyncDrift("lago_customer", $"Lago's customer {state.StripeCustomerId} has {key} = {metadata.GetValueOrDefault(key) ?? "(none)"}; the account says {expected ?? "(none)"}."));
                }
            }

            if (state.StripeSubscriptionId is { } subscriptionId && (options.PlanCodes.TryGetValue(state.Tier, out var planCode) || !state.SubscriptionLive))
            {
                using var subscription = await lago.GetSubscriptionAsync(subscriptionId, cancellationToken);
                if (!subscription.IsSuccessStatusCode && subscription.StatusCode != HttpStatusCode.NotFound)
                {
                    return Failure(subscription, "read the subscription");
                }

                var active = subscription.IsSuccessStatusCode ? subscription.Content?["subscription"] : null;
                if (state.SubscriptionLive && active is null)
                {
                    drift.Add(new SyncDrift("lago_subscription", $"Lago has no active subscription {subscriptionId}; the account's is live on plan {planCode}."));
                }
                else if (state.SubscriptionLive && active?["plan_code"]?.GetValue<string>() is var held && held != planCode && active?["next_plan_code"]?.GetValue<string>() != planCode)
                {
                    drift.Add(new SyncDrift("lago_plan", $"Lago's subscription {subscriptionId} is on plan {held ?? "(none)"}; the account's tier {state.Tier} is plan {planCode}."));
                }
                else if (!state.SubscriptionLive && active is not null)
                {
                    drift.Add(new SyncDrift("lago_subscription", $"Lago's subscription {subscriptionId} is still active; the account's has ended."));
                }
            }

            return drift;
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(e);
        }
    }

    private LagoCustomer Customer(AccountState state, JsonObject? current)
    {
        var linked = current?["billing_configuration"]?["provider_customer_id"]?.GetValue<string>() is { Length: > 0 };
        return new LagoCustomer(
            state.StripeCustomerId!,
            string.IsNullOrEmpty(state.Email) ? null : state.Email,
            state.Name ?? (string.IsNullOrEmpty(state.Email) ? state.UserId : state.Email),
            linked ? null : new LagoBillingConfiguration("stripe", state.StripeCustomerId!, Sync: false, options.StripeProviderCode),
            Metadata(state, current));
    }

    /// <summary>The service's keys set or removed, every other key kept, each existing row sent with its id.</summary>
    internal static IReadOnlyList<LagoMetadata> Metadata(AccountState state, JsonObject? current)
    {
        var rows = (current?["metadata"] as JsonArray)?.OfType<JsonObject>()
            .Where(r => r["key"]?.GetValue<string>() is { Length: > 0 } && r["value"]?.ToString() is { Length: > 0 })
            .ToDictionary(r => r["key"]!.GetValue<string>(), r => r, StringComparer.Ordinal) ?? [];
        var owned = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["tier"] = state.Tier,
            ["subscription_id"] = state.StripeSubscriptionId,
        };
        var items = new List<LagoMetadata>();
        foreach (var (key, value) in owned)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                items.Add(new LagoMetadata(key, Clip(value), false, rows.GetValueOrDefault(key)?["lago_id"]?.GetValue<string>()));
            }
        }

        foreach (var (key, row) in rows.Where(r => !owned.ContainsKey(r.Key)).Take(MaxMetadataItems - items.Count))
        {
            items.Add(new LagoMetadata(key, row["value"]!.ToString(), row["display_in_invoice"]?.GetValue<bool>() ?? false, row["lago_id"]?.GetValue<string>()));
        }

        return items;
    }

    private static string Clip(string value) => value.Length <= MaxMetadataValueLength ? value : value[..MaxMetadataValueLength];

    private async Task<Result<string>> PublishSubscriptionAsync(AccountState state, CancellationToken cancellationToken)
    {
        if (state.StripeSubscriptionId is null || !options.PlanCodes.TryGetValue(state.Tier, out var planCode) && state.SubscriptionLive)
        {
            return $"Lago customer {state.StripeCustomerId} updated.";
        }

        if (state.SubscriptionLive)
        {
            using var subscription = await lago.UpsertSubscriptionAsync(
                new LagoSubscriptionEnvelope(new LagoSubscription(state.StripeCustomerId!, planCode!, state.StripeSubscriptionId)),
                cancellationToken);
            if (!subscription.IsSuccessStatusCode)
            {
                return Failure(subscription, "create or change the subscription");
            }

            // Lago applies a downgrade at the end of its period and answers with the current plan: that is success.
            var answered = subscription.Content?["subscription"];
            return answered?["next_plan_code"]?.GetValue<string>() is { } next && next == planCode
                ? $"Lago customer {state.StripeCustomerId}: downgrade to plan {planCode} pending until {answered["downgrade_plan_date"]}."
                : $"Lago customer {state.StripeCustomerId} on plan {planCode}.";
        }

        // Terminating one already terminated is Lago's 404: the outcome wanted all the same.
        using var terminated = await lago.TerminateSubscriptionAsync(state.StripeSubscriptionId, cancellationToken);
        return terminated.IsSuccessStatusCode || terminated.StatusCode == HttpStatusCode.NotFound
            ? $"Lago subscription {state.StripeSubscriptionId} terminated."
            : Failure(terminated, "terminate the subscription");
    }

    private static Error Failure(IApiResponse response, string action)
    {
        // Lago's 422 names the field and the rule (error_details); it holds no secret, and it is the reason to park.
        var reason = (response.Error as ApiException)?.Content is { Length: > 0 } body ? body[..Math.Min(body.Length, 500)] : string.Empty;
        if (reason.Contains("payment_provider_not_found", StringComparison.Ordinal) || reason.Contains("payment_provider_code_missing", StringComparison.Ordinal))
        {
            return new Error(
                ErrorKind.NotConfigured,
                "lago_payment_provider",
                $"Lago refused to {action}: it needs its Stripe connection named. Connect Stripe in Lago, and set LAGO_STRIPE_PROVIDER_CODE to that connection's code when there are several; then replay. ({reason})");
        }

        return response.StatusCode switch
        {
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => Error.Invalid("lago", "lago_rejected", $"Lago refused to {action}: {reason}"),
            HttpStatusCode.NotFound => Error.NotFound("lago_not_found", $"Lago answered 404 when asked to {action}: {reason}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new Error(ErrorKind.NotConfigured, "lago_key_rejected", "Lago refused LAGO_API_KEY."),
            _ => new Error(ErrorKind.UpstreamUnavailable, "lago_unavailable", $"Lago answered {(int?)response.StatusCode} when asked to {action}."),
        };
    }

    /// <remarks>
    /// Lago keeps a batch whole or not at all: a 422 lists, by index, each event it refuses, and keeps none. An event
    /// it already has (<c>transaction_id: value_already_exist</c>, per subscription) was delivered before; one refused
    /// for another reason never will be. The rest is sent again at once, so one bad event never holds up the others.
    /// </remarks>
    public async Task<Result<UsageDelivery>> SendEventsAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var delivered = new List<string>();
        var already = new List<string>();
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var remaining = events.ToList();
        try
        {
            for (var round = 0; remaining.Count > 0; round++)
            {
                using var response = await lago.CreateEventsBatchAsync(BatchBody(remaining), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    delivered.AddRange(remaining.Select(e => e.TransactionId));
                    break;
                }

                if (response.StatusCode != HttpStatusCode.UnprocessableEntity || round >= 2 || RefusedByIndex(response) is not { Count: > 0 } errors)
                {
                    return Failure(response, "record usage events");
                }

                var next = new List<UsageEvent>();
                for (var i = 0; i < remaining.Count; i++)
                {
                    if (!errors.TryGetValue(i, out var error))
                    {
                        next.Add(remaining[i]);
                    }
                    else if (IsAlreadyKept(error))
                    {
                        already.Add(remaining[i].TransactionId);
                    }
                    else
                    {
                        refused[remaining[i].TransactionId] = $"Lago refused the event: {error.ToJsonString()}";
                    }
                }

                remaining = next;
            }

            return new UsageDelivery(delivered, already, refused);
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(e);
        }
    }

    private Error Unreachable(Exception e)
    {
        logger.LogWarning("Lago is unreachable: {ErrorType}", e.GetType().Name);
        return new Error(ErrorKind.UpstreamUnavailable, "lago_unreachable", "Lago could not be reached.");
    }

    private static JsonObject BatchBody(IEnumerable<UsageEvent> events) => new()
    {
        ["events"] = new JsonArray(events.Select(e => (JsonNode)new JsonObject
        {
            ["transaction_id"] = e.TransactionId,
            ["external_subscription_id"] = e.SubscriptionId,
            ["code"] = e.Code,

            // Seconds since the epoch with milliseconds as decimals, as a string: Lago's API types the timestamp as
            // an integer or a string ("1651240791.123"), never a fractional number.
            ["timestamp"] = (e.Timestamp.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
            ["properties"] = JsonNode.Parse(e.Properties),
        }).ToArray()),
    };

    /// <summary>Lago's <c>error_details</c> of a refused batch: the refusal of each event, by its index in the batch.</summary>
    private static Dictionary<int, JsonNode>? RefusedByIndex(IApiResponse response)
    {
        var body = (response.Error as ApiException)?.Content;
        JsonNode? parsed;
        try
        {
            parsed = string.IsNullOrEmpty(body) ? null : JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not Lago's JSON (a proxy's page): no per-event answer to act on.
            parsed = null;
        }

        if (parsed is not JsonObject { } problem || problem["error_details"] is not JsonObject details)
        {
            return null;
        }

        var byIndex = new Dictionary<int, JsonNode>();
        foreach (var (key, value) in details)
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) || value is null)
            {
                return null;
            }

            byIndex[index] = value;
        }

        return byIndex;
    }

    private static bool IsAlreadyKept(JsonNode error) =>
        error is JsonObject fields && fields.Count == 1 && fields["transaction_id"] is JsonArray codes &&
        codes.Count > 0 && codes.All(c => c?.GetValue<string>() == "value_already_exist");

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
