using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Lago;

namespace Billing.Sandbox.Tests;

/// <summary>The Lago stand-in behaves as Lago does where its OpenAPI file says nothing (BEHAVIOUR.md L1–L5).</summary>
public sealed class LagoBehaviourTests
{
    private LagoStandIn _lago = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _lago = new LagoStandIn();
        await _lago.StartAsync();
        _lago.AddPlan("starter", 1900, "monthly");
        _lago.AddPlan("professional", 4900, "monthly");
        _lago.AddPlan("starter_yearly", 19000, "yearly");
        _http = new HttpClient { BaseAddress = new Uri(_lago.BaseUrl, "api/v1/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _lago.ApiKey);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _lago.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonObject? Body)> UpsertAsync(object customer)
    {
        using var response = await _http.PostAsJsonAsync("customers", new { customer });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>());
    }

    private async Task<JsonArray> MetadataAsync(string externalId) =>
        (await _http.GetFromJsonAsync<JsonObject>($"customers/{externalId}"))!["customer"]!["metadata"]!.AsArray();

    [Test]
    public async Task L1_a_key_sent_again_without_its_id_is_422_and_the_whole_update_rolls_back()
    {
        await UpsertAsync(new { external_id = "cus_1", name = "Ada", metadata = new[] { new { key = "tier", value = "starter", display_in_invoice = false } } });

        var (status, body) = await UpsertAsync(new { external_id = "cus_1", name = "Grace", metadata = new[] { new { key = "tier", value = "professional", display_in_invoice = false } } });

        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(body!["error_details"]!["key"]![0]!.GetValue<string>(), Is.EqualTo("value_already_exist"));
        Assert.That(_lago.Customers["cus_1"]["name"]!.GetValue<string>(), Is.EqualTo("Ada"));
        Assert.That((await MetadataAsync("cus_1")).Single()!["value"]!.GetValue<string>(), Is.EqualTo("starter"));
    }

    [Test]
    public async Task L1_items_are_updated_by_id_and_rows_not_sent_are_deleted_and_no_metadata_leaves_them_alone()
    {
        await UpsertAsync(new { external_id = "cus_1", metadata = new[] { new { key = "tier", value = "starter", display_in_invoice = false }, new { key = "old", value = "x", display_in_invoice = false } } });
        var tierId = (await MetadataAsync("cus_1")).Single(m => m!["key"]!.GetValue<string>() == "tier")!["lago_id"]!.GetValue<string>();

        var (updated, _) = await UpsertAsync(new { external_id = "cus_1", metadata = new object[] { new { id = tierId, key = "tier", value = "professional", display_in_invoice = false } } });
        await UpsertAsync(new { external_id = "cus_1", email = "ada@example.com" });
        var metadata = await MetadataAsync("cus_1");

        Assert.That(updated, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(metadata.Select(m => (m!["key"]!.GetValue<string>(), m["value"]!.GetValue<string>(), m["lago_id"]!.GetValue<string>())), Is.EqualTo(new[] { ("tier", "professional", tierId) }));
    }

    [Test]
    public async Task L2_more_than_five_items_a_long_key_and_a_blank_value_are_each_422()
    {
        var six = Enumerable.Range(1, 6).Select(i => new { key = $"k{i}", value = "v", display_in_invoice = false }).ToArray();

        var (tooMany, manyBody) = await UpsertAsync(new { external_id = "cus_1", metadata = six });
        var (longKey, longBody) = await UpsertAsync(new { external_id = "cus_1", metadata = new[] { new { key = "stripe_subscription_id", value = "sub_1", display_in_invoice = false } } });
        var (blank, blankBody) = await UpsertAsync(new { external_id = "cus_1", metadata = new[] { new { key = "tier", value = "", display_in_invoice = false } } });

        Assert.That((tooMany, manyBody!["error_details"]!["metadata"]![0]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.UnprocessableEntity, "invalid_count")));
        Assert.That((longKey, longBody!["error_details"]!["metadata"]![0]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.UnprocessableEntity, "value_is_too_long")));
        Assert.That((blank, blankBody!["error_details"]!["metadata"]![0]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.UnprocessableEntity, "value_is_mandatory")));
        Assert.That(_lago.Customers, Is.Empty);
    }

    [Test]
    public async Task L3_every_later_upsert_carrying_the_provider_customer_id_overwrites_the_stripe_customer_with_lagos_values()
    {
        var billing = new { payment_provider = "stripe", provider_customer_id = "cus_1", sync = false };
        await UpsertAsync(new { external_id = "cus_1", email = "ada@example.com", billing_configuration = billing });
        Assert.That(_lago.StripeCustomerOverwrites, Is.Empty, "creating the link pushes nothing over the Stripe customer");

        await UpsertAsync(new { external_id = "cus_1", email = "ada@example.com" });
        Assert.That(_lago.StripeCustomerOverwrites, Is.Empty, "an upsert without the provider customer id leaves Stripe alone");

        await UpsertAsync(new { external_id = "cus_1", email = "ada@example.com", billing_configuration = billing });

        Assert.That(_lago.StripeCustomerOverwrites.Single(), Is.EqualTo(new StripeCustomerOverwrite("cus_1", "", "ada@example.com", "", "")));
    }

    [Test]
    public async Task L3_without_a_payment_provider_a_new_customer_is_committed_and_then_refused_and_several_need_a_code()
    {
        var billing = new { payment_provider = "stripe", provider_customer_id = "cus_1", sync = false };
        _lago.PaymentProviders.Clear();
        var (none, noneBody) = await UpsertAsync(new { external_id = "cus_1", billing_configuration = billing });
        _lago.PaymentProviders.AddRange(["stripe_eu", "stripe_us"]);
        var (several, severalBody) = await UpsertAsync(new { external_id = "cus_2", billing_configuration = billing });
        var (named, _) = await UpsertAsync(new { external_id = "cus_3", billing_configuration = new { payment_provider = "stripe", provider_customer_id = "cus_3", sync = false, payment_provider_code = "stripe_us" } });

        Assert.That((none, noneBody!["error_details"]!["base"]![0]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.UnprocessableEntity, "payment_provider_not_found")));
        Assert.That((several, severalBody!["error_details"]!["base"]![0]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.UnprocessableEntity, "payment_provider_code_missing")));
        Assert.That(_lago.Customers.Keys, Is.EquivalentTo(new[] { "cus_1", "cus_2", "cus_3" }), "the customer row is committed before the provider is looked for");
        Assert.That(named, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_lago.Customers["cus_3"]["billing_configuration"]!["payment_provider_code"]!.GetValue<string>(), Is.EqualTo("stripe_us"));
    }

    private async Task<(HttpStatusCode Status, JsonObject? Subscription)> SubscribeAsync(string externalId, string plan, string customer = "cus_1")
    {
        using var response = await _http.PostAsJsonAsync("subscriptions", new { subscription = new { external_customer_id = customer, plan_code = plan, external_id = externalId } });
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())?["subscription"] as JsonObject);
    }

    [Test]
    public async Task L4_an_upgrade_applies_now_with_a_new_lago_id_and_a_downgrade_waits_for_the_period_end()
    {
        await UpsertAsync(new { external_id = "cus_1" });
        var (_, first) = await SubscribeAsync("sub_1", "starter");

        var (_, upgraded) = await SubscribeAsync("sub_1", "professional");
        var (_, downgraded) = await SubscribeAsync("sub_1", "starter");
        await SubscribeAsync("sub_2", "starter");
        var (_, toYearly) = await SubscribeAsync("sub_2", "starter_yearly");

        Assert.That(upgraded!["lago_id"]!.GetValue<string>(), Is.Not.EqualTo(first!["lago_id"]!.GetValue<string>()));
        Assert.That(upgraded["plan_code"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(_lago.TerminatedByUpgrade.Single()["lago_id"]!.GetValue<string>(), Is.EqualTo(first["lago_id"]!.GetValue<string>()));
        Assert.That(downgraded!["plan_code"]!.GetValue<string>(), Is.EqualTo("professional"), "the current plan stays until the period ends");
        Assert.That(downgraded["next_plan_code"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(downgraded["downgrade_plan_date"], Is.Not.Null);
        Assert.That(toYearly!["next_plan_code"]!.GetValue<string>(), Is.EqualTo("starter_yearly"), "compared by yearly amount: 190.00 a year is below 12 × 19.00");
    }

    [Test]
    public async Task L4_the_same_plan_is_unchanged_another_customer_is_422_and_an_unknown_plan_404()
    {
        await UpsertAsync(new { external_id = "cus_1" });
        await UpsertAsync(new { external_id = "cus_2" });
        var (_, first) = await SubscribeAsync("sub_1", "starter");

        var (same, again) = await SubscribeAsync("sub_1", "starter");
        var (taken, _) = await SubscribeAsync("sub_1", "starter", customer: "cus_2");
        var (unknown, _) = await SubscribeAsync("sub_3", "gold");

        Assert.That(same, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again!["lago_id"]!.GetValue<string>(), Is.EqualTo(first!["lago_id"]!.GetValue<string>()));
        Assert.That(taken, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(unknown, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task L5_terminating_twice_is_404_the_second_time()
    {
        await UpsertAsync(new { external_id = "cus_1" });
        await SubscribeAsync("sub_1", "starter");

        using var first = await _http.DeleteAsync("subscriptions/sub_1");
        using var second = await _http.DeleteAsync("subscriptions/sub_1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await first.Content.ReadFromJsonAsync<JsonObject>())!["subscription"]!["status"]!.GetValue<string>(), Is.EqualTo("terminated"));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>Events::CreateBatchService on the PostgreSQL event store (getlago/lago-api): all or nothing, refusals by index.</summary>
    [Test]
    public async Task An_events_batch_is_kept_whole_or_not_at_all_and_names_each_refused_event_by_its_index()
    {
        object Event(string id, string subscription = "sub_b") => new { transaction_id = id, external_subscription_id = subscription, code = "api_calls", timestamp = "1764230400.5" };
        using var first = await _http.PostAsJsonAsync("events/batch", new { events = new[] { Event("t1"), Event("t2") } });
        using var mixed = await _http.PostAsJsonAsync("events/batch", new { events = new[] { Event("t3"), Event("t1"), new { transaction_id = "t4", external_subscription_id = "sub_b" } as object, Event("t3") } });
        using var otherSubscription = await _http.PostAsJsonAsync("events/batch", new { events = new[] { Event("t1", "sub_c") } });
        using var tooMany = await _http.PostAsJsonAsync("events/batch", new { events = Enumerable.Range(0, 101).Select(i => Event($"m{i}")).ToArray() });
        using var none = await _http.PostAsJsonAsync("events/batch", new { events = Array.Empty<object>() });

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(mixed.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var details = (await mixed.Content.ReadFromJsonAsync<JsonObject>())!["error_details"]!.AsObject();
        Assert.That(details.Select(d => d.Key), Is.EquivalentTo(new[] { "1", "2", "3" }), "the repeat, the missing code, and the second t3 of the same batch");
        Assert.That(details["1"]!["transaction_id"]![0]!.GetValue<string>(), Is.EqualTo("value_already_exist"));
        Assert.That(details["2"]!["code"]![0]!.GetValue<string>(), Is.EqualTo("value_is_mandatory"));
        Assert.That(_lago.Events.Keys, Is.EquivalentTo(new[] { "sub_b/t1", "sub_b/t2", "sub_c/t1" }), "nothing of the refused batch is kept; a transaction id is unique per subscription");
        Assert.That(otherSubscription.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    /// <summary>Lago's API description: an event's <c>timestamp</c> is an integer or a string ("1651240791.123").</summary>
    [Test]
    public async Task An_event_time_is_an_integer_or_a_string_of_seconds_never_a_fractional_number_and_is_answered_as_a_date_time()
    {
        object Event(string id, object timestamp) => new { transaction_id = id, external_subscription_id = "sub_t", code = "api_calls", timestamp };
        using var asString = await _http.PostAsJsonAsync("events/batch", new { events = new[] { Event("s1", "1796571270.528") } });
        using var asInteger = await _http.PostAsJsonAsync("events/batch", new { events = new[] { Event("i1", 1796571270) } });
        using var asFraction = await _http.PostAsJsonAsync("events/batch", new { events = new[] { Event("f1", 1796571270.528m) } });

        Assert.That(asString.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var echoed = (await asString.Content.ReadFromJsonAsync<JsonObject>())!["events"]![0]!["timestamp"]!.GetValue<string>();
        Assert.That(echoed, Is.EqualTo("2026-12-06T15:34:30.528Z"));
        Assert.That(asInteger.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(asFraction.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await asFraction.Content.ReadFromJsonAsync<JsonObject>())!["error_details"]!["0"]!["timestamp"]![0]!.GetValue<string>(), Is.EqualTo("invalid_format"));
    }
}
