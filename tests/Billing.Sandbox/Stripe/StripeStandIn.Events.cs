using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>Events: each change of state emits its event, handed to the webhook sender as one batch per operation.</summary>
public sealed partial class StripeStandIn
{
    private readonly List<JsonObject> _outgoing = [];

    private void Emit(string type, JsonObject data, JsonObject? previousAttributes = null)
    {
        var dataNode = new JsonObject { ["object"] = data.DeepClone() };
        StripeShapes.Complete(dataNode["object"]);
        if (previousAttributes is not null)
        {
            dataNode["previous_attributes"] = previousAttributes;
        }

        var evt = new JsonObject
        {
            ["id"] = StripeIds.New("evt"),
            ["object"] = "event",
            ["api_version"] = ApiVersion,
            ["created"] = StripeIds.Now(),
            ["data"] = dataNode,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = StripeIds.New("req"), ["idempotency_key"] = null },
            ["type"] = type,
        };
        _events.Add(evt);
        _outgoing.Add(evt);
    }

    /// <summary>Hands the events of the operation that just ran to the webhook sender, as one batch.</summary>
    private void FlushEvents()
    {
        List<JsonObject> batch;
        lock (_gate)
        {
            batch = [.. _outgoing];
            _outgoing.Clear();
        }

        if (batch.Count > 0)
        {
            Webhooks.Enqueue(batch);
        }
    }

    public IReadOnlyList<JsonObject> Events()
    {
        lock (_gate)
        {
            return _events.Select(e => e.DeepClone().AsObject()).ToList();
        }
    }
}
