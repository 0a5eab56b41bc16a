using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Stripe's test clocks (<c>/v1/test_helpers/test_clocks</c>), held to Stripe's API reference: a clock is made at a
/// <c>frozen_time</c> and deleted after seven days; customers made with <c>test_clock</c> live at its time, and so do
/// their subscriptions and invoices; <c>advance</c> only moves forward, at most two intervals of the shortest
/// subscription on the clock (two years without one), and answers <c>advancing</c> while Stripe plays what happens
/// meanwhile, in time order: trial-end notices and ends, renewals (paid, declined or debited), retries of declined
/// cards, debits that settle, cancellations at the period end; then the clock is <c>ready</c>
/// (<c>test_helpers.test_clock.advancing</c> and <c>.ready</c> events). Deleting a clock deletes its customers.
/// Wording of refusals Stripe's reference does not quote is the stand-in's.
/// </summary>
public sealed partial class StripeStandIn
{
    private const long Day = 86400;

    private readonly Dictionary<string, JsonObject> _clocks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _trialNoticesSent = new(StringComparer.Ordinal);

    /// <summary>Now for a customer: its test clock's frozen time, or the real time for a customer on no clock.</summary>
    private long NowOf(string customerId) =>
        _customers.TryGetValue(customerId, out var customer) && customer["test_clock"]?.GetValue<string>() is { } clock && _clocks.TryGetValue(clock, out var found)
            ? found["frozen_time"]!.GetValue<long>()
            : StripeIds.Now();

    private void MapTestClocks(WebApplication app)
    {
        Post(app, "/v1/test_helpers/test_clocks", CreateTestClock);
        Get(app, "/v1/test_helpers/test_clocks", (p, _) => ListOf(Enumerable.Reverse(_clocks.Values), p, "/v1/test_helpers/test_clocks"));
        Get(app, "/v1/test_helpers/test_clocks/{id}", (p, r) => Find(_clocks, "test_helpers.test_clock", r.RouteValues["id"]!.ToString()!, "test_clock"));
        Delete(app, "/v1/test_helpers/test_clocks/{id}", DeleteTestClock);
        Post(app, "/v1/test_helpers/test_clocks/{id}/advance", (p, r) => AdvanceTestClock(r.RouteValues["id"]!.ToString()!, p.Long("frozen_time")));
    }

    /// <summary>Makes a clock for the sandbox; the sandbox's service puts the customers it makes on it.</summary>
    public string CreateClock(string name, DateTimeOffset frozenTime)
    {
        lock (_gate)
        {
            return ((JsonObject)CreateTestClock(Form(("frozen_time", frozenTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)), ("name", name)), null!).Body)["id"]!.GetValue<string>();
        }
    }

    public JsonObject? Clock(string id)
    {
        lock (_gate)
        {
            return _clocks.GetValueOrDefault(id)?.DeepClone().AsObject();
        }
    }

    private StripeReply CreateTestClock(StripeParams p, HttpRequest _)
    {
        if (p.Long("frozen_time") is not { } frozen)
        {
            return StripeReply.Missing("frozen_time");
        }

        var now = StripeIds.Now();
        var id = StripeIds.New("clock");
        _clocks[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "test_helpers.test_clock",
            ["created"] = now,
            ["deletes_after"] = now + (7 * Day),
            ["frozen_time"] = frozen,
            ["livemode"] = false,
            ["name"] = p.Str("name"),
            ["status"] = "ready",
            ["status_details"] = new JsonObject(),
        };
        return StripeReply.Ok(_clocks[id].DeepClone());
    }

    private StripeReply DeleteTestClock(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_clocks.Remove(id))
        {
            return StripeReply.NoSuch("test_helpers.test_clock", id, "test_clock");
        }

        foreach (var customer in _customers.Values.Where(c => c["test_clock"]?.GetValue<string>() == id))
        {
            customer["deleted"] = true;
        }

        return StripeReply.Ok(new JsonObject { ["id"] = id, ["object"] = "test_helpers.test_clock", ["deleted"] = true });
    }

    /// <summary>Advances every clock of the sandbox by whole days (the sandbox's <c>POST /_sandbox/clock/advance</c>).</summary>
    public StripeReply AdvanceSandboxClocks(int days)
    {
        if (days < 1)
        {
            return StripeReply.Error(400, "invalid_request_error", "days must be a whole number of days, at least 1.", "parameter_invalid_integer", "days");
        }

        var advanced = new JsonArray();
        List<string> ids;
        lock (_gate)
        {
            ids = [.. _clocks.Keys];
        }

        foreach (var id in ids)
        {
            JsonObject clock;
            lock (_gate)
            {
                clock = _clocks[id];
            }

            var reply = AdvanceTestClockNow(id, clock["frozen_time"]!.GetValue<long>() + (days * Day));
            if (reply.Status != 200)
            {
                return reply;
            }

            advanced.Add(Clock(id));
        }

        return StripeReply.Ok(new JsonObject { ["object"] = "list", ["data"] = advanced, ["has_more"] = false, ["url"] = "/_sandbox/clock/advance" });
    }

    private StripeReply AdvanceTestClockNow(string id, long target)
    {
        StripeReply reply;
        lock (_gate)
        {
            reply = AdvanceTestClock(id, target);
        }

        FlushEvents();
        return reply;
    }

    private StripeReply AdvanceTestClock(string id, long? target)
    {
        if (!_clocks.TryGetValue(id, out var clock))
        {
            return StripeReply.NoSuch("test_helpers.test_clock", id, "test_clock");
        }

        if (target is not { } frozen)
        {
            return StripeReply.Missing("frozen_time");
        }

        var from = clock["frozen_time"]!.GetValue<long>();
        if (frozen <= from)
        {
            return StripeReply.Error(400, "invalid_request_error", "The frozen_time must be after the test clock's current frozen time.", "parameter_invalid_integer", "frozen_time");
        }

        var customers = _customers.Values.Where(c => c["test_clock"]?.GetValue<string>() == id && c["deleted"]?.GetValue<bool>() != true).Select(c => c["id"]!.GetValue<string>()).ToHashSet();
        var subscriptions = _subscriptions.Values.Where(s => customers.Contains(s["customer"]!.GetValue<string>()) && s["status"]!.GetValue<string>() is not ("canceled" or "incomplete_expired")).ToList();
        var limit = subscriptions.Count == 0
            ? DateTimeOffset.FromUnixTimeSeconds(from).AddYears(2).ToUnixTimeSeconds()
            : subscriptions.Min(s => TwoIntervalsFrom(Item(s)["price"]!["recurring"]!["interval"]!.GetValue<string>(), from));
        if (frozen > limit)
        {
            return StripeReply.Error(400, "invalid_request_error", $"Cannot advance the test clock more than two intervals beyond its current frozen time: the latest allowed frozen_time is {limit}.", "parameter_invalid_integer", "frozen_time");
        }

        clock["status"] = "advancing";
        Emit("test_helpers.test_clock.advancing", clock);
        var answer = clock.DeepClone();
        while (NextDue(customers, frozen) is { } next)
        {
            clock["frozen_time"] = Math.Max(clock["frozen_time"]!.GetValue<long>(), next.At);
            next.Happen();
        }

        clock["frozen_time"] = frozen;
        clock["status"] = "ready";
        Emit("test_helpers.test_clock.ready", clock);
        return StripeReply.Ok(answer);
    }

    private static long TwoIntervalsFrom(string interval, long from)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(from);
        return (interval switch
        {
            "year" => start.AddYears(2),
            "week" => start.AddDays(14),
            "day" => start.AddDays(2),
            _ => start.AddMonths(2),
        }).ToUnixTimeSeconds();
    }

    /// <summary>The earliest thing that happens to these customers by <paramref name="until"/>, and what it does; null when nothing does.</summary>
    private (long At, Action Happen)? NextDue(HashSet<string> customers, long until)
    {
        var due = new List<(long At, Action Happen)>();
        foreach (var customer in customers)
        {
            due.AddRange(DebitsDue(customer, until).Select(d => (d.At, (Action)(() => SettleDebit(d.Id, d.At)))));
        }

        foreach (var subscription in _subscriptions.Values.Where(s => customers.Contains(s["customer"]!.GetValue<string>())))
        {
            var id = subscription["id"]!.GetValue<string>();
            var status = subscription["status"]!.GetValue<string>();
            var periodEnd = Item(subscription)["current_period_end"]!.GetValue<long>();
            if (status == "trialing" && subscription["trial_end"]?.GetValue<long>() is { } trialEnd)
            {
                if (!_trialNoticesSent.Contains(id) && trialEnd - (3 * Day) <= until)
                {
                    due.Add((trialEnd - (3 * Day), () =>
                    {
                        _trialNoticesSent.Add(id);
                        Emit("customer.subscription.trial_will_end", subscription);
                    }));
                }
                else if (trialEnd <= until)
                {
                    due.Add((trialEnd, () => EndTrialAt(subscription, trialEnd)));
                }
            }
            else if (status is "active" or "past_due" && periodEnd <= until)
            {
                due.Add((periodEnd, subscription["cancel_at_period_end"]!.GetValue<bool>()
                    ? () => EndAtPeriodEnd(subscription, periodEnd)
                    : () => RenewAt(subscription, periodEnd, declinesCount: true)));
            }

            if (status == "past_due" && subscription["latest_invoice"]?.GetValue<string>() is { } invoiceId && _invoices.TryGetValue(invoiceId, out var open) &&
                open["status"]!.GetValue<string>() == "open" && open["next_payment_attempt"]?.GetValue<long>() is { } attempt && attempt <= until)
            {
                due.Add((attempt, () => RetryPayment(subscription, open, attempt)));
            }
        }

        return due.Count == 0 ? null : due.MinBy(d => d.At);
    }

    private void EndAtPeriodEnd(JsonObject subscription, long at)
    {
        subscription["status"] = "canceled";
        subscription["canceled_at"] ??= at;
        subscription["ended_at"] = at;
        Emit("customer.subscription.deleted", subscription);
    }

    /// <summary>
    /// Smart Retries try a declined card again: paid, the subscription is active again; declined, another try three
    /// days later, until the fourth attempt, after which Stripe leaves the subscription past due with no next attempt.
    /// </summary>
    private void RetryPayment(JsonObject subscription, JsonObject invoice, long at)
    {
        var attempts = invoice["attempt_count"]!.GetValue<long>() + 1;
        invoice["attempt_count"] = attempts;
        var method = ChargedCard(subscription);
        if (method is not null && !_decliningCards.Contains(method))
        {
            invoice["status"] = "paid";
            invoice["amount_paid"] = invoice["amount_due"]!.GetValue<long>();
            invoice["amount_remaining"] = 0L;
            invoice["next_payment_attempt"] = null;
            RecordPayment(invoice);
            subscription["status"] = "active";
            Emit("invoice.paid", invoice);
            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = "past_due" });
            return;
        }

        invoice["next_payment_attempt"] = attempts >= 4 ? null : at + (3 * Day);
        Emit("invoice.payment_failed", invoice);
    }
}
