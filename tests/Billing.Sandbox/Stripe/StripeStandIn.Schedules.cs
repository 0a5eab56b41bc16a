using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Stripe's subscription schedules, as far as a change at the end of the period needs them, held to Stripe's API
/// reference: a schedule made <c>from_subscription</c> takes nothing else (its one phase is the subscription as it
/// is), a subscription has at most one schedule, the current phase keeps its start, a phase's items take a price and a
/// quantity, the last phase may last a <c>duration</c>; <c>release</c> leaves the subscription as it is, only from
/// <c>not_started</c> or <c>active</c>. While a schedule manages a subscription its cancellation is the schedule's
/// (the subscription refuses <c>cancel_at_period_end</c>). Stripe moves to the next phase when the current one ends:
/// here when the subscription renews (<see cref="RenewNow"/>).
/// </summary>
public sealed partial class StripeStandIn
{
    private readonly Dictionary<string, JsonObject> _schedules = new(StringComparer.Ordinal);

    public JsonObject? Schedule(string id)
    {
        lock (_gate)
        {
            return _schedules.GetValueOrDefault(id)?.DeepClone().AsObject();
        }
    }

    private void MapSchedules(WebApplication app)
    {
        Post(app, "/v1/subscription_schedules", CreateSchedule);
        Get(app, "/v1/subscription_schedules/{id}", (p, r) => Find(_schedules, "subscription_schedule", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/subscription_schedules/{id}", UpdateSchedule);
        Post(app, "/v1/subscription_schedules/{id}/release", ReleaseSchedule);
    }

    private StripeReply CreateSchedule(StripeParams p, HttpRequest r)
    {
        if (p.Str("from_subscription") is not { } subscriptionId)
        {
            return StripeReply.Error(400, "invalid_request_error", "This stand-in creates subscription schedules only from an existing subscription; pass from_subscription.", "parameter_missing", "from_subscription");
        }

        if (p.Keys().FirstOrDefault(k => k is not ("from_subscription" or "expand[]" or "expand") && !k.StartsWith("expand[", StringComparison.Ordinal)) is { } other)
        {
            var name = other.Split('[')[0];
            return StripeReply.Error(400, "invalid_request_error", $"You cannot set `{name}` if `from_subscription` is set.", "parameter_invalid_empty", name);
        }

        if (!_subscriptions.TryGetValue(subscriptionId, out var subscription))
        {
            return StripeReply.NoSuch("subscription", subscriptionId, "from_subscription");
        }

        if (subscription["schedule"]?.GetValue<string>() is not null)
        {
            return StripeReply.Error(400, "invalid_request_error", $"You cannot migrate a subscription that is already attached to a schedule: `{subscriptionId}`.", param: "from_subscription");
        }

        if (subscription["status"]!.GetValue<string>() is "canceled" or "incomplete_expired")
        {
            return StripeReply.Error(400, "invalid_request_error", $"You cannot migrate a subscription that is in the `{subscription["status"]}` status.", param: "from_subscription");
        }

        var item = Item(subscription);
        var id = StripeIds.New("sub_sched");
        var phase = Phase(item["price"]!["id"]!.GetValue<string>(), item["quantity"]!.GetValue<long>(), item["current_period_start"]!.GetValue<long>(), item["current_period_end"]!.GetValue<long>(), new JsonObject());
        var schedule = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription_schedule",
            ["created"] = StripeIds.Now(),
            ["customer"] = subscription["customer"]!.GetValue<string>(),
            ["status"] = "active",
            ["end_behavior"] = "release",
            ["canceled_at"] = null,
            ["completed_at"] = null,
            ["released_at"] = null,
            ["released_subscription"] = null,
            ["subscription"] = subscriptionId,
            ["metadata"] = new JsonObject(),
            ["current_phase"] = new JsonObject { ["start_date"] = phase["start_date"]!.GetValue<long>(), ["end_date"] = phase["end_date"]!.GetValue<long>() },
            ["phases"] = new JsonArray(phase),
            ["livemode"] = false,
        };
        _schedules[id] = schedule;
        subscription["schedule"] = id;
        Emit("subscription_schedule.created", schedule);
        Emit("customer.subscription.updated", subscription, new JsonObject { ["schedule"] = null });
        return StripeReply.Ok(schedule.DeepClone());
    }

    private static JsonObject Phase(string price, long quantity, long start, long end, JsonObject metadata) => new()
    {
        ["start_date"] = start,
        ["end_date"] = end,
        ["items"] = new JsonArray(new JsonObject { ["price"] = price, ["quantity"] = quantity, ["metadata"] = new JsonObject() }),
        ["metadata"] = metadata,
        ["proration_behavior"] = "create_prorations",
    };

    private StripeReply UpdateSchedule(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_schedules.TryGetValue(id, out var schedule))
        {
            return StripeReply.NoSuch("subscription_schedule", id);
        }

        if (NotChangeable(schedule, "update") is { } refused)
        {
            return refused;
        }

        if (p.Str("end_behavior") is { } endBehavior)
        {
            if (endBehavior is not ("release" or "cancel"))
            {
                return StripeReply.Error(400, "invalid_request_error", "Invalid end_behavior: must be one of release or cancel", "parameter_invalid_string", "end_behavior");
            }

            if (endBehavior == "cancel")
            {
                // Not kinder than Stripe, only narrower: the service never asks for it, so the stand-in says so.
                return StripeReply.Error(400, "invalid_request_error", "This stand-in ends schedules only by releasing them (end_behavior=release).", param: "end_behavior");
            }

            schedule["end_behavior"] = endBehavior;
        }

        if (p.Has("phases"))
        {
            var phases = ReadPhases(p, schedule);
            if (phases.Refused is { } bad)
            {
                return bad;
            }

            schedule["phases"] = phases.Phases;
        }

        Emit("subscription_schedule.updated", schedule);
        return StripeReply.Ok(schedule.DeepClone());
    }

    /// <summary>The phases sent, in order; the first keeps the current phase's start, each starts where the last ended.</summary>
    private (JsonArray? Phases, StripeReply? Refused) ReadPhases(StripeParams p, JsonObject schedule)
    {
        var phases = new JsonArray();
        var currentStart = schedule["current_phase"]!["start_date"]!.GetValue<long>();
        long? previousEnd = null;
        for (var i = 0; p.Has($"phases[{i}]"); i++)
        {
            var at = $"phases[{i}]";
            if (p.Str($"{at}[items][0][price]") is not { } priceId)
            {
                return (null, StripeReply.Error(400, "invalid_request_error", $"Missing required param: {at}[items].", "parameter_missing", $"{at}[items]"));
            }

            if (!_prices.TryGetValue(priceId, out var price) || price["recurring"] is null)
            {
                return (null, StripeReply.NoSuch("price", priceId, $"{at}[items][0][price]"));
            }

            if (i == 0 && !p.Has($"{at}[start_date]"))
            {
                return (null, StripeReply.Error(400, "invalid_request_error", $"Missing required param: {at}[start_date].", "parameter_missing", $"{at}[start_date]"));
            }

            if (p.Has($"{at}[end_date]") && p.Has($"{at}[duration]"))
            {
                return (null, StripeReply.Error(400, "invalid_request_error", $"You may only specify one of these parameters: {at}[duration], {at}[end_date].", param: $"{at}[end_date]"));
            }

            long start = p.Long($"{at}[start_date]") ?? previousEnd ?? currentStart;
            if (i == 0 && start != currentStart)
            {
                return (null, StripeReply.Error(400, "invalid_request_error", "You can not modify the start date of the current phase.", param: $"{at}[start_date]"));
            }

            if (previousEnd is { } ended && start != ended)
            {
                return (null, StripeReply.Error(400, "invalid_request_error", "The start date of a phase must be the end date of the phase before it.", param: $"{at}[start_date]"));
            }

            long end;
            if (p.Long($"{at}[end_date]") is { } endDate)
            {
                end = endDate;
            }
            else if (p.Str($"{at}[duration][interval]") is { } interval)
            {
                var count = (int)(p.Long($"{at}[duration][interval_count]") ?? 1);
                var from = DateTimeOffset.FromUnixTimeSeconds(start);
                end = (interval switch { "year" => from.AddYears(count), "month" => from.AddMonths(count), "week" => from.AddDays(7 * count), _ => from.AddDays(count) }).ToUnixTimeSeconds();
            }
            else
            {
                // Stripe: a phase without end_date or duration lasts one interval of its price.
                var from = DateTimeOffset.FromUnixTimeSeconds(start);
                end = (price["recurring"]!["interval"]!.GetValue<string>() == "year" ? from.AddYears(1) : from.AddMonths(1)).ToUnixTimeSeconds();
            }

            if (end <= start)
            {
                return (null, StripeReply.Error(400, "invalid_request_error", "The end date of a phase must be after its start date.", param: $"{at}[end_date]"));
            }

            var metadata = new JsonObject();
            foreach (var (key, value) in p.Map($"{at}[metadata]"))
            {
                metadata[key] = value;
            }

            var phase = Phase(priceId, p.Long($"{at}[items][0][quantity]") ?? 1, start, end, metadata);
            phase["proration_behavior"] = p.Str($"{at}[proration_behavior]") ?? "create_prorations";
            phases.Add(phase);
            previousEnd = end;
        }

        return (phases, null);
    }

    private StripeReply ReleaseSchedule(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_schedules.TryGetValue(id, out var schedule))
        {
            return StripeReply.NoSuch("subscription_schedule", id);
        }

        if (NotChangeable(schedule, "release") is { } refused)
        {
            return refused;
        }

        Release(schedule);
        return StripeReply.Ok(schedule.DeepClone());
    }

    private static StripeReply? NotChangeable(JsonObject schedule, string verb) =>
        schedule["status"]!.GetValue<string>() is "not_started" or "active"
            ? null
            : StripeReply.Error(400, "invalid_request_error", $"You cannot {verb} a subscription schedule that is currently in the `{schedule["status"]}` status. It must be in one of the following statuses: `not_started`, `active`.");

    private void Release(JsonObject schedule)
    {
        var subscriptionId = schedule["subscription"]?.GetValue<string>();
        schedule["status"] = "released";
        schedule["released_at"] = StripeIds.Now();
        schedule["released_subscription"] = subscriptionId;
        schedule["subscription"] = null;
        schedule["current_phase"] = null;
        Emit("subscription_schedule.released", schedule);
        if (subscriptionId is not null && _subscriptions.TryGetValue(subscriptionId, out var subscription))
        {
            subscription["schedule"] = null;
            Emit("customer.subscription.updated", subscription, new JsonObject { ["schedule"] = schedule["id"]!.GetValue<string>() });
        }
    }

    /// <summary>
    /// The subscription's period ends: the schedule that manages it moves to the phase after the current one (its items
    /// and metadata go onto the subscription), or, when no phase follows, is released (the only <c>end_behavior</c>
    /// the stand-in takes). Returns the price the new period bills.
    /// </summary>
    private JsonObject MovePhase(JsonObject subscription, JsonObject item)
    {
        var price = item["price"]!.AsObject();
        if (subscription["schedule"]?.GetValue<string>() is not { } scheduleId || !_schedules.TryGetValue(scheduleId, out var schedule))
        {
            return price;
        }

        // The stand-in renews when told, not when the dates say: the phase after the current one starts.
        var phases = schedule["phases"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var currentStart = schedule["current_phase"]?["start_date"]?.GetValue<long>();
        var current = phases.FindIndex(ph => ph["start_date"]!.GetValue<long>() == currentStart);
        var next = current >= 0 && current + 1 < phases.Count ? phases[current + 1] : null;
        if (next is null)
        {
            Release(schedule);
            return price;
        }

        var nextPrice = _prices[next["items"]![0]!["price"]!.GetValue<string>()];
        item["price"] = PublicPrice(nextPrice);
        item["quantity"] = next["items"]![0]!["quantity"]!.GetValue<long>();
        MergeMetadata(subscription, next["metadata"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()));
        schedule["current_phase"] = new JsonObject { ["start_date"] = next["start_date"]!.GetValue<long>(), ["end_date"] = next["end_date"]!.GetValue<long>() };
        Emit("subscription_schedule.updated", schedule);
        return nextPrice;
    }
}
