using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Lago;

/// <summary>Lago's events API: one event, or a batch kept all or nothing, unique per subscription and transaction id.</summary>
public sealed partial class LagoStandIn
{
    /// <summary>
    /// One event (Events::CreateService): a transaction id the subscription already has is 422
    /// <c>transaction_id: value_already_exist</c>, as on Lago's PostgreSQL event store.
    /// </summary>
    private async Task<IResult> CreateEventAsync(HttpRequest request)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        var input = await ReadRootAsync(request, "event");
        if (input is null)
        {
            return Results.Json(new { status = 400, error = "Bad Request", code = "event_is_missing" }, statusCode: 400);
        }

        if (EventErrors(input) is { } invalid)
        {
            return Results.Json(new { status = 422, error = "Unprocessable Entity", code = "validation_errors", error_details = invalid }, statusCode: 422);
        }

        lock (_eventGate)
        {
            if (!_events.TryAdd(EventKey(input), Stored(input)))
            {
                return Unprocessable("transaction_id", "value_already_exist");
            }
        }

        return Results.Json(new { @event = _events[EventKey(input)] });
    }

    /// <summary>
    /// A batch (Events::CreateBatchService): up to 100 events, all kept or none. Each refused event is named by its
    /// index in <c>error_details</c>, a transaction id the subscription already has (or that comes twice in the batch)
    /// as <c>transaction_id: value_already_exist</c>; then nothing of the batch is kept.
    /// </summary>
    private async Task<IResult> CreateEventBatchAsync(HttpRequest request)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        Interlocked.Increment(ref _eventBatches);
        JsonArray? events;
        try
        {
            events = (await JsonNode.ParseAsync(request.Body))?["events"] as JsonArray;
        }
        catch (JsonException)
        {
            events = null;
        }

        if (events is null || events.Count == 0)
        {
            return Unprocessable("events", "no_events");
        }

        if (events.Count > MaxEventsPerBatch)
        {
            return Unprocessable("events", "too_many_events");
        }

        var errors = new Dictionary<string, object>();
        var inputs = events.Select(e => e as JsonObject).ToList();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not { } input)
            {
                errors[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new Dictionary<string, string[]> { ["event"] = ["invalid_format"] };
            }
            else if (EventErrors(input) is { } invalid)
            {
                errors[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = invalid;
            }
        }

        lock (_eventGate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < inputs.Count; i++)
            {
                var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (inputs[i] is { } input && !errors.ContainsKey(key) && (_events.ContainsKey(EventKey(input)) || !seen.Add(EventKey(input))))
                {
                    errors[key] = new Dictionary<string, string[]> { ["transaction_id"] = ["value_already_exist"] };
                }
            }

            if (errors.Count > 0)
            {
                return Results.Json(new { status = 422, error = "Unprocessable Entity", code = "validation_errors", error_details = errors }, statusCode: 422);
            }

            foreach (var input in inputs)
            {
                _events[EventKey(input!)] = Stored(input!);
            }

            if (LoseNextBatchAnswers > 0)
            {
                LoseNextBatchAnswers--;
                request.HttpContext.Abort();
                return Results.Empty;
            }
        }

        return Results.Json(new { events = inputs.Select(e => _events[EventKey(e!)]).ToList() });
    }

    private static Dictionary<string, string[]>? EventErrors(JsonObject input)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var required in new[] { "transaction_id", "external_subscription_id", "code" })
        {
            if (input[required] is not JsonValue value || value.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetValue<string>()))
            {
                errors[required] = ["value_is_mandatory"];
            }
        }

        if (input["timestamp"] is { } timestamp && TimestampOf(timestamp) is null)
        {
            errors["timestamp"] = ["invalid_format"];
        }

        return errors.Count == 0 ? null : errors;
    }

    private static string EventKey(JsonObject input) => $"{input["external_subscription_id"]!.GetValue<string>()}/{input["transaction_id"]!.GetValue<string>()}";

    /// <summary>
    /// Lago's API types an event's timestamp as an integer or a string of seconds ("1651240791.123"), never a
    /// fractional JSON number; anything else is <c>invalid_format</c>.
    /// </summary>
    private static DateTimeOffset? TimestampOf(JsonNode timestamp) => timestamp is JsonValue value ? value.GetValueKind() switch
    {
        JsonValueKind.Number when long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds),
        JsonValueKind.String when decimal.TryParse(value.GetValue<string>(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000m)),
        _ => null,
    } : null;

    private static JsonObject Stored(JsonObject input)
    {
        var created = input.DeepClone().AsObject();

        // Lago answers the time as a date-time, whatever form it was sent in; without one, the time it received it.
        created["timestamp"] = ((input["timestamp"] is { } sent ? TimestampOf(sent) : null) ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        created["lago_id"] = Guid.NewGuid().ToString();
        created["lago_customer_id"] = null;
        return created;
    }
}
