using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Lago;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The Lago stand-in answers with every field Lago's API reference lists for a customer, a subscription and a
/// paginated list (the lists below are written from Lago's documentation), so a field the service starts reading
/// tomorrow is already there, with Lago's type.
/// </summary>
public sealed class LagoShapeTests
{
    private static readonly string[] CustomerFields =
    [
        "lago_id", "sequential_id", "slug", "external_id", "billing_entity_code", "account_type", "address_line1", "address_line2",
        "applicable_timezone", "city", "country", "currency", "customer_type", "email", "finalize_zero_amount_invoice", "firstname",
        "lastname", "legal_name", "legal_number", "logo_url", "name", "net_payment_term", "phone", "state", "tax_identification_number",
        "timezone", "url", "zipcode", "skip_invoice_custom_sections", "shipping_address", "created_at", "updated_at", "metadata",
        "billing_configuration", "integration_customers",
    ];

    private static readonly string[] SubscriptionFields =
    [
        "lago_id", "external_id", "lago_customer_id", "external_customer_id", "billing_entity_code", "billing_time", "name", "plan_code",
        "plan_amount_cents", "plan_amount_currency", "status", "created_at", "subscription_at", "started_at", "activated_at",
        "trial_ended_at", "ending_at", "terminated_at", "canceled_at", "cancellation_reason", "previous_plan_code", "next_plan_code",
        "downgrade_plan_date", "current_billing_period_started_at", "current_billing_period_ending_at", "on_termination_credit_note",
        "on_termination_invoice", "consolidate_invoice", "purchase_order_number", "payment_method", "activation_rules",
        "applied_invoice_custom_sections",
    ];

    private static readonly string[] PaginationFields = ["current_page", "next_page", "prev_page", "total_pages", "total_count"];

    private LagoStandIn _lago = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _lago = new LagoStandIn();
        await _lago.StartAsync();
        _lago.AddPlan("starter", 1900, "monthly");
        _http = new HttpClient { BaseAddress = new Uri(_lago.BaseUrl, "api/v1/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _lago.ApiKey);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _lago.DisposeAsync();
    }

    private static IEnumerable<string> Missing(JsonObject answer, IEnumerable<string> fields) => fields.Where(f => !answer.ContainsKey(f));

    [Test]
    public async Task Customers_subscriptions_and_lists_carry_every_field_Lago_documents_with_its_type()
    {
        using var created = await _http.PostAsJsonAsync("customers", new { customer = new { external_id = "cus_shape", name = "Ada" } });
        using var second = await _http.PostAsJsonAsync("customers", new { customer = new { external_id = "cus_shape_2" } });
        var customer = (await created.Content.ReadFromJsonAsync<JsonObject>())!["customer"]!.AsObject();
        var fetched = (await _http.GetFromJsonAsync<JsonObject>("customers/cus_shape"))!["customer"]!.AsObject();
        var page = (await _http.GetFromJsonAsync<JsonObject>("customers?per_page=1"))!;
        using var subscribed = await _http.PostAsJsonAsync("subscriptions", new { subscription = new { external_customer_id = "cus_shape", plan_code = "starter", external_id = "sub_shape" } });
        var subscription = (await subscribed.Content.ReadFromJsonAsync<JsonObject>())!["subscription"]!.AsObject();
        using var terminated = await _http.DeleteAsync("subscriptions/sub_shape");
        var ended = (await terminated.Content.ReadFromJsonAsync<JsonObject>())!["subscription"]!.AsObject();

        Assert.That(Missing(customer, CustomerFields), Is.Empty);
        Assert.That(Missing(fetched, CustomerFields), Is.Empty);
        Assert.That(customer["sequential_id"]!.GetValue<int>(), Is.GreaterThan(0));
        Assert.That(customer["slug"]!.GetValue<string>(), Does.EndWith(customer["sequential_id"]!.GetValue<int>().ToString("000", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(customer["billing_configuration"]!["invoice_grace_period"]!.GetValue<int>(), Is.Zero, "a number, never null");
        Assert.That(Missing(page["meta"]!.AsObject(), PaginationFields), Is.Empty);
        Assert.That((page["meta"]!["total_pages"]!.GetValue<int>(), page["meta"]!["total_count"]!.GetValue<int>(), page["customers"]!.AsArray().Count), Is.EqualTo((2, 2, 1)));
        Assert.That(Missing(subscription, SubscriptionFields), Is.Empty);
        Assert.That(subscription["lago_customer_id"]!.GetValue<string>(), Is.EqualTo(customer["lago_id"]!.GetValue<string>()));
        Assert.That(Missing(ended, SubscriptionFields), Is.Empty, "terminating keeps every key, the unset ones null");
        Assert.That(ended["terminated_at"], Is.Not.Null);
    }
}
