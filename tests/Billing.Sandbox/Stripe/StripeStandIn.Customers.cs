using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>Customers, their saved payment methods, and customer-portal sessions.</summary>
public sealed partial class StripeStandIn
{
    private StripeReply CreateCustomer(StripeParams p, HttpRequest _)
    {
        var clock = p.Str("test_clock");
        if (clock is not null && !_clocks.ContainsKey(clock))
        {
            return StripeReply.NoSuch("test_helpers.test_clock", clock, "test_clock");
        }

        var id = StripeIds.New("cus");
        var customer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "customer",
            ["created"] = clock is null ? StripeIds.Now() : _clocks[clock]["frozen_time"]!.GetValue<long>(),
            ["email"] = p.Str("email"),
            ["name"] = p.Str("name"),
            ["description"] = p.Str("description"),
            ["livemode"] = false,
            ["metadata"] = Metadata(p.Map("metadata")),
            ["invoice_settings"] = new JsonObject { ["default_payment_method"] = null, ["custom_fields"] = null, ["footer"] = null },
            ["balance"] = 0L,
            ["currency"] = null,
            ["address"] = p.Str("address[country]") is { } country ? new JsonObject { ["country"] = country } : null,
            ["delinquent"] = false,
            ["test_clock"] = clock,
        };
        _customers[id] = customer;
        return StripeReply.Ok(customer.DeepClone());
    }

    private StripeReply CreatePortalSession(StripeParams p, HttpRequest _)
    {
        if (p.Str("customer") is not { } customer)
        {
            return StripeReply.Missing("customer");
        }

        if (!_customers.ContainsKey(customer))
        {
            return StripeReply.NoSuch("customer", customer, "customer");
        }

        if (RefusePortalConfiguration(p.Str("configuration")) is { } refused)
        {
            return refused;
        }

        var id = StripeIds.New("bps");
        return StripeReply.Ok(new JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["customer"] = customer,
            ["return_url"] = p.Str("return_url"),
            ["url"] = new Uri(BaseUrl, $"portal/{id}" + (p.Str("return_url") is { } back ? $"?return_url={Uri.EscapeDataString(back)}" : string.Empty)).AbsoluteUri,
            ["created"] = StripeIds.Now(),
            ["livemode"] = false,
            ["configuration"] = p.Str("configuration") ?? "bpc_sandbox",
        });
    }

    private StripeReply ListPaymentMethods(string customer, StripeParams p)
    {
        if (!_customers.ContainsKey(customer))
        {
            return StripeReply.NoSuch("customer", customer, "customer");
        }

        var type = p.Str("type");
        return ListOf(
            _paymentMethods.Values.Where(m => m["customer"]?.GetValue<string>() == customer && (type is null || m["type"]!.GetValue<string>() == type)).OrderByDescending(m => m["created"]!.GetValue<long>()),
            p,
            $"/v1/customers/{customer}/payment_methods");
    }

    /// <summary>
    /// Stripe's customer deletion: every subscription of the customer that has not ended is canceled at once
    /// (<c>customer.subscription.deleted</c>), then <c>customer.deleted</c>; the customer reads as
    /// <c>{"id", "deleted": true}</c> from then on, and cannot be used again.
    /// </summary>
    private StripeReply DeleteCustomer(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_customers.TryGetValue(id, out var customer) || customer["deleted"]?.GetValue<bool>() == true)
        {
            return StripeReply.NoSuch("customer", id);
        }

        var now = StripeIds.Now();
        foreach (var subscription in _subscriptions.Values.Where(s => s["customer"]!.GetValue<string>() == id && s["status"]!.GetValue<string>() is not ("canceled" or "incomplete_expired")))
        {
            EndNow(subscription, now);
        }

        Emit("customer.deleted", customer.DeepClone().AsObject());
        _customers[id] = new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true };
        return StripeReply.Ok(_customers[id].DeepClone());
    }
}
