using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// A customer's credit balance, held to Stripe's reference: <c>POST /v1/customers/{id}/balance_transactions</c>
/// takes a non-zero <c>amount</c> (negative is a credit, the customer owes less) in the customer's currency (a customer
/// without one takes it from its first transaction), answers a <c>customer_balance_transaction</c> of type
/// <c>adjustment</c> with its <c>ending_balance</c>, and moves the customer's <c>balance</c> (<c>customer.updated</c>);
/// the next invoice applies it (<c>starting_balance</c>, <c>ending_balance</c>, less <c>amount_due</c>). The wording
/// of the currency refusal is the stand-in's.
/// </summary>
public sealed partial class StripeStandIn
{
    private readonly List<JsonObject> _balanceTransactions = [];

    private void MapCustomerBalance(WebApplication app)
    {
        Post(app, "/v1/customers/{id}/balance_transactions", CreateBalanceTransaction);
        Get(app, "/v1/customers/{id}/balance_transactions", (p, r) => _customers.ContainsKey(r.RouteValues["id"]!.ToString()!)
            ? ListOf(Enumerable.Reverse(_balanceTransactions).Where(t => t["customer"]!.GetValue<string>() == r.RouteValues["id"]!.ToString()), p, $"/v1/customers/{r.RouteValues["id"]}/balance_transactions")
            : StripeReply.NoSuch("customer", r.RouteValues["id"]!.ToString()!));
    }

    private StripeReply CreateBalanceTransaction(StripeParams p, HttpRequest r)
    {
        var customerId = r.RouteValues["id"]!.ToString()!;
        if (!_customers.TryGetValue(customerId, out var customer))
        {
            return StripeReply.NoSuch("customer", customerId);
        }

        if (p.Long("amount") is not { } amount)
        {
            return StripeReply.Missing("amount");
        }

        if (p.Str("currency") is not { Length: 3 } currency)
        {
            return StripeReply.Missing("currency");
        }

        if (amount == 0)
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid integer: amount must not be zero.", "parameter_invalid_integer", "amount");
        }

        if (customer["currency"]?.GetValue<string>() is { } held && held != currency)
        {
            return StripeReply.Error(400, "invalid_request_error", $"The currency {currency} does not match the customer's currency {held}.", param: "currency");
        }

        customer["currency"] ??= currency;
        var transaction = Adjust(customer, amount, "adjustment", p.Str("description"), null);
        foreach (var (key, value) in p.Map("metadata"))
        {
            transaction["metadata"]![key] = value;
        }

        return StripeReply.Ok(transaction.DeepClone());
    }

    /// <summary>Moves the customer's balance and records the transaction; Stripe says so with <c>customer.updated</c>.</summary>
    private JsonObject Adjust(JsonObject customer, long amount, string type, string? description, string? invoiceId)
    {
        var before = BalanceOf(customer);
        customer["balance"] = before + amount;
        var transaction = new JsonObject
        {
            ["id"] = StripeIds.New("cbtxn"),
            ["object"] = "customer_balance_transaction",
            ["amount"] = amount,
            ["created"] = StripeIds.Now(),
            ["currency"] = customer["currency"]!.GetValue<string>(),
            ["customer"] = customer["id"]!.GetValue<string>(),
            ["description"] = description,
            ["ending_balance"] = before + amount,
            ["invoice"] = invoiceId,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["type"] = type,
        };
        _balanceTransactions.Add(transaction);
        Emit("customer.updated", customer, new JsonObject { ["balance"] = before });
        return transaction;
    }

    /// <summary>
    /// The credit on the customer's balance that an invoice of <paramref name="total"/> uses (Stripe applies the
    /// balance when it finalizes an invoice); the balance moves by it. Returns the invoice's starting and ending balance.
    /// </summary>
    private (long Starting, long Ending, long Applied) ApplyBalance(string customerId, long total, string invoiceId)
    {
        var customer = _customers[customerId];
        var starting = BalanceOf(customer);
        var applied = starting < 0 ? Math.Min(-starting, Math.Max(0, total)) : 0;
        if (applied > 0)
        {
            Adjust(customer, applied, "applied_to_invoice", null, invoiceId);
        }

        return (starting, starting + applied, applied);
    }

    /// <summary>The customer's balance, whichever number type the JSON holds it in.</summary>
    private static long BalanceOf(JsonObject customer) =>
        customer["balance"] is JsonValue value && long.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var balance) ? balance : 0;
}
