using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Lago;

namespace Billing.Sandbox.Tests;

/// <summary>The Lago stand-in: envelopes, upsert by external_id, and Lago's 401/404/422 bodies.</summary>
public sealed class LagoStandInTests
{
    private LagoStandIn _lago = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _lago = new LagoStandIn();
        await _lago.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_lago.BaseUrl, "api/v1/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _lago.ApiKey);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _lago.DisposeAsync();
    }

    [Test]
    public async Task Customers_are_created_then_updated_by_external_id_keeping_keys_not_sent()
    {
        using var created = await _http.PostAsJsonAsync("customers", new { customer = new { external_id = "cus_1", email = "a@example.com", name = "Ada" } });
        using var updated = await _http.PostAsJsonAsync("customers", new { customer = new { external_id = "cus_1", email = "b@example.com" } });
        var found = await _http.GetFromJsonAsync<JsonObject>("customers/cus_1");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(found!["customer"]!["email"]!.GetValue<string>(), Is.EqualTo("b@example.com"));
        Assert.That(found["customer"]!["name"]!.GetValue<string>(), Is.EqualTo("Ada"));
        Assert.That(_lago.Customers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_wrong_api_key_is_401_and_an_unknown_customer_404_and_a_missing_external_id_422()
    {
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        using var unauthorized = await anonymous.GetAsync("customers/cus_1");
        using var notFound = await _http.GetAsync("customers/cus_missing");
        using var invalid = await _http.PostAsJsonAsync("customers", new { customer = new { email = "a@example.com" } });
        var invalidBody = await invalid.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(unauthorized.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(invalidBody!["error_details"]!["external_id"]![0]!.GetValue<string>(), Is.EqualTo("value_is_mandatory"));
    }

    [Test]
    public async Task Subscriptions_are_created_changed_and_terminated_and_events_are_idempotent_by_transaction_id()
    {
        _lago.AddPlan("starter");
        _lago.AddPlan("professional");
        await _http.PostAsJsonAsync("customers", new { customer = new { external_id = "cus_1" } });

        using var unknownPlan = await _http.PostAsJsonAsync("subscriptions", new { subscription = new { external_customer_id = "cus_1", plan_code = "gold", external_id = "sub_1" } });
        using var created = await _http.PostAsJsonAsync("subscriptions", new { subscription = new { external_customer_id = "cus_1", plan_code = "starter", external_id = "sub_1" } });
        using var changed = await _http.PostAsJsonAsync("subscriptions", new { subscription = new { external_customer_id = "cus_1", plan_code = "professional", external_id = "sub_1" } });
        using var e1 = await _http.PostAsJsonAsync("events", new { @event = new { transaction_id = "t1", external_subscription_id = "sub_1", code = "api_calls" } });
        using var e2 = await _http.PostAsJsonAsync("events", new { @event = new { transaction_id = "t1", external_subscription_id = "sub_1", code = "api_calls" } });
        using var terminated = await _http.DeleteAsync("subscriptions/sub_1");
        using var again = await _http.DeleteAsync("subscriptions/sub_1");

        Assert.That(unknownPlan.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_lago.Subscriptions["sub_1"]["status"]!.GetValue<string>(), Is.EqualTo("terminated"));
        Assert.That(_lago.Subscriptions["sub_1"]["plan_code"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(_lago.Events, Has.Count.EqualTo(1));
        Assert.That(e1.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(e2.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "Lago refuses a transaction id the subscription already has");
        Assert.That(terminated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_subscription_is_found_only_while_active_unless_another_status_is_asked_for()
    {
        _lago.AddPlan("starter");
        await _http.PostAsJsonAsync("customers", new { customer = new { external_id = "cus_1" } });
        await _http.PostAsJsonAsync("subscriptions", new { subscription = new { external_customer_id = "cus_1", plan_code = "starter", external_id = "sub_1" } });

        var active = await _http.GetFromJsonAsync<JsonObject>("subscriptions/sub_1");
        await _http.DeleteAsync("subscriptions/sub_1");
        using var afterTermination = await _http.GetAsync("subscriptions/sub_1");
        using var terminated = await _http.GetAsync("subscriptions/sub_1?status=terminated");

        Assert.That(active!["subscription"]!["plan_code"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(afterTermination.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "Lago's show finds only active subscriptions by default");
        Assert.That(terminated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_configured_rejection_answers_422_with_the_reason()
    {
        _lago.RejectCustomersWith = ("currency", "currencies_does_not_match");

        using var rejected = await _http.PostAsJsonAsync("customers", new { customer = new { external_id = "cus_1" } });

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await rejected.Content.ReadAsStringAsync()), Does.Contain("currencies_does_not_match"));
    }
}
