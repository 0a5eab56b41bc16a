using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Application.Ports;
using Billing.Sandbox.Common;
using Billing.Sandbox.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>
/// Usage from trusted services into Lago's events batch: each accepted event reaches Lago exactly once, through
/// repeats, unknown users, an outage and a lost answer; a malformed batch changes nothing.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class UsageTests(Database database) : AppFixture(database)
{
    private const string WriterRole = "billing-usage-writer";

    // Quick retries, so an outage in a test costs a moment, not the production backoff.
    protected override void Configure(Dictionary<string, string?> settings) => settings["Billing:Usage:BaseDelay"] = "00:00:00.100";

    [TearDown]
    public void ClearFaults()
    {
        App.Lago.Faults.Clear();
        App.Lago.LoseNextBatchAnswers = 0;
    }

    private HttpClient Meter() => App.ClientFor("metering-service", "metering@example.com", WriterRole);

    private async Task<(string UserId, string SubscriptionId)> SubscribedAsync()
    {
        var userId = $"use-{Guid.NewGuid():N}"[..16];
        using var client = App.ClientFor(userId);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly" });
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var subscriptionId = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        return (userId, subscriptionId);
    }

    private static object Event(string transactionId, string userId, int calls = 1) =>
        new { transaction_id = transactionId, user_id = userId, code = "api_calls", timestamp = DateTimeOffset.UtcNow.AddMinutes(-1), properties = new { calls, region = "eu" } };

    private async Task<int> PendingAsync()
    {
        await using var scope = App.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IUsageEventStore>().CountPendingAsync(CancellationToken.None);
    }

    private async Task EventuallyDeliveredAsync()
    {
        for (var i = 0; i < 300 && await PendingAsync() > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.That(await PendingAsync(), Is.Zero, "every accepted event delivered");
    }

    private IEnumerable<string> KeptInLago(string subscriptionId) =>
        App.Lago.Events.Where(e => e.Key.StartsWith(subscriptionId + "/", StringComparison.Ordinal)).Select(e => e.Value["transaction_id"]!.GetValue<string>());

    [Test]
    public async Task Each_accepted_event_reaches_Lago_once_through_repeats_unknown_users_an_outage_and_a_lost_answer()
    {
        var (ada, adaSubscription) = await SubscribedAsync();
        var (bob, bobSubscription) = await SubscribedAsync();
        var run = Guid.NewGuid().ToString("N")[..6];
        using var meter = Meter();

        // Lago is down for the first deliveries, then keeps a batch but its answer is lost.
        App.Lago.Faults.FailNext(3, FaultKind.ServerError, "/api/v1/events/batch");
        App.Lago.LoseNextBatchAnswers = 1;
        var first = (await (await meter.PostAsJsonAsync("/api/v1/billing/usage", new
        {
            events = new[]
            {
                Event($"{run}-a1", ada), Event($"{run}-a2", ada), Event($"{run}-b1", bob), Event($"{run}-g1", "ghost-user"), Event($"{run}-a1", ada),
            },
        })).Content.ReadFromJsonAsync<JsonObject>())!;
        var retried = (await (await meter.PostAsJsonAsync("/api/v1/billing/usage", new
        {
            events = new[] { Event($"{run}-a1", ada), Event($"{run}-a2", ada), Event($"{run}-b1", bob), Event($"{run}-b2", bob, 7) },
        })).Content.ReadFromJsonAsync<JsonObject>())!;
        await EventuallyDeliveredAsync();

        var statuses = first["events"]!.AsArray().Select(e => (e!["transaction_id"]!.GetValue<string>(), e["status"]!.GetValue<string>())).ToList();
        Assert.That(statuses, Is.EqualTo(new[]
        {
            ($"{run}-a1", "accepted"), ($"{run}-a2", "accepted"), ($"{run}-b1", "accepted"), ($"{run}-g1", "rejected"), ($"{run}-a1", "duplicate"),
        }));
        Assert.That(first["events"]![3]!["code"]!.GetValue<string>(), Is.EqualTo("no_live_subscription"));
        Assert.That((first["accepted"]!.GetValue<int>(), first["duplicates"]!.GetValue<int>(), first["rejected"]!.GetValue<int>()), Is.EqualTo((3, 1, 1)));
        Assert.That((retried["accepted"]!.GetValue<int>(), retried["duplicates"]!.GetValue<int>()), Is.EqualTo((1, 3)), "a repeat answers as accepted before");
        Assert.That(KeptInLago(adaSubscription), Is.EquivalentTo(new[] { $"{run}-a1", $"{run}-a2" }));
        Assert.That(KeptInLago(bobSubscription), Is.EquivalentTo(new[] { $"{run}-b1", $"{run}-b2" }));
        Assert.That(App.Lago.Events.Values.Count(e => e["transaction_id"]!.GetValue<string>().StartsWith(run, StringComparison.Ordinal)), Is.EqualTo(4), "nothing for the unknown user, nothing twice");
        var b2 = App.Lago.Events[$"{bobSubscription}/{run}-b2"];
        Assert.That(b2["code"]!.GetValue<string>(), Is.EqualTo("api_calls"));
        Assert.That(b2["properties"]!["calls"]!.GetValue<int>(), Is.EqualTo(7));
        Assert.That(DateTimeOffset.Parse(b2["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5)));
        var sent = App.Lago.Requests.Matching("POST", "/api/v1/events/batch").Where(r => r.Body.Contains($"{run}-b2", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!["events"]!.AsArray().First(e => e!["transaction_id"]!.GetValue<string>() == $"{run}-b2")!["timestamp"]!).ToList();
        Assert.That(sent, Is.Not.Empty);
        Assert.That(sent.Select(t => t.GetValueKind()), Has.All.EqualTo(System.Text.Json.JsonValueKind.String), "Lago types the timestamp as an integer or a string, never a fractional number");
    }

    [Test]
    public async Task An_event_Lago_already_holds_counts_as_delivered_and_the_rest_of_its_batch_still_goes()
    {
        var (ada, subscriptionId) = await SubscribedAsync();
        var run = Guid.NewGuid().ToString("N")[..6];
        using var lago = new HttpClient { BaseAddress = new Uri(App.Lago.BaseUrl, "api/v1/") };
        lago.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", App.Lago.ApiKey);
        using var direct = await lago.PostAsJsonAsync("events", new { @event = new { transaction_id = $"{run}-1", external_subscription_id = subscriptionId, code = "api_calls" } });
        using var meter = Meter();

        using var response = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = new[] { Event($"{run}-1", ada), Event($"{run}-2", ada), Event($"{run}-3", ada) } });
        await EventuallyDeliveredAsync();

        Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(KeptInLago(subscriptionId), Is.EquivalentTo(new[] { $"{run}-1", $"{run}-2", $"{run}-3" }));
    }

    [Test]
    public async Task Only_a_service_holding_the_usage_writer_role_may_record_usage()
    {
        var (ada, _) = await SubscribedAsync();
        var body = new { events = new[] { Event("role-check", ada) } };
        using var user = App.ClientFor(ada);
        using var admin = App.Admin();
        using var anonymous = App.Anonymous();

        using var asUser = await user.PostAsJsonAsync("/api/v1/billing/usage", body);
        using var asAdmin = await admin.PostAsJsonAsync("/api/v1/billing/usage", body);
        using var asNobody = await anonymous.PostAsJsonAsync("/api/v1/billing/usage", body);

        Assert.That(asUser.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(asAdmin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(asNobody.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(App.Lago.Events.Keys, Has.None.EndsWith("/role-check"));
    }

    [Test]
    public async Task A_malformed_batch_is_refused_whole_with_the_field_named_and_stores_nothing()
    {
        var (ada, _) = await SubscribedAsync();
        using var meter = Meter();
        var tooMany = Enumerable.Range(0, 101).Select(i => Event($"many-{i}", ada)).ToArray();

        using var overLimit = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = tooMany });
        using var noCode = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = new object[] { Event("ok-1", ada), new { transaction_id = "no-code", user_id = ada } } });
        using var nested = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = new object[] { new { transaction_id = "nested", user_id = ada, code = "api_calls", properties = new { deep = new { a = 1 } } } } });
        using var future = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = new object[] { new { transaction_id = "future", user_id = ada, code = "api_calls", timestamp = DateTimeOffset.UtcNow.AddHours(2) } } });
        using var empty = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = Array.Empty<object>() });

        foreach (var response in new[] { overLimit, noCode, nested, future, empty })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That(await noCode.Content.ReadAsStringAsync(), Does.Contain("code"));
        Assert.That(await PendingAsync(), Is.Zero);
        Assert.That(App.Lago.Events.Keys, Has.None.EndsWith("/ok-1"), "the good event of a refused batch is not kept either");
    }
}
