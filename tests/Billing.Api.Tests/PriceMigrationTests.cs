using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Application.Catalog.Publish;
using Billing.Sandbox.Common;
using Billing.Sandbox.Stripe;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>
/// <c>catalog migrate</c>, run as an operator runs it (the built service as a process): the subscribers left on a
/// superseded price are listed exactly, moved once, at their renewal or now, and an interrupted run goes on without
/// moving anyone twice.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class PriceMigrationTests(Database database) : AppFixture(database)
{
    [TearDown]
    public void ClearFaults() => App.Stripe.Faults.Clear();

    private async Task<string> SubscribeAsync(string tier, string cycle = "monthly")
    {
        var userId = $"pm-{Guid.NewGuid():N}"[..18];
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        using var client = App.ClientFor(userId);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = cycle });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        var subscriptionId = App.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        return subscriptionId;
    }

    private async Task RepriceAsync(string key, long amount)
    {
        var previous = App.Settings.GetValueOrDefault(key);
        App.Settings[key] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var changed = App.AddHost();
        App.Settings[key] = previous;
        await using var scope = changed.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishCatalog(DryRun: false));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
    }

    private Task<(int Exit, string Output)> MigrateAsync(params string[] options) =>
        ServiceProcess.RunAsync(
            new Dictionary<string, string> { ["STRIPE_API_KEY"] = App.Stripe.ApiKey, ["STRIPE_API_BASE"] = App.Stripe.BaseUrl.AbsoluteUri, ["BILLING_DATABASE"] = App.Settings["BILLING_DATABASE"]! },
            ["catalog", "migrate", .. options]);

    private string PriceOf(string subscriptionId) => App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["price"]!["id"]!.GetValue<string>();

    private string CurrentPrice(string lookupKey) => App.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == lookupKey)["id"]!.GetValue<string>();

    [Test]
    public async Task A_dry_run_lists_exactly_the_subscribers_on_old_prices_and_a_run_at_renewal_schedules_each_once()
    {
        var old = await SubscribeAsync("professional");
        var otherCycle = await SubscribeAsync("professional", "yearly");
        await RepriceAsync("Billing:Catalog:Tiers:professional:Prices:monthly", 5400);
        var current = await SubscribeAsync("professional");

        var (dryExit, dry) = await MigrateAsync("--tier", "professional", "--cycle", "monthly", "--dry-run");
        var (exit, output) = await MigrateAsync("--tier", "professional", "--cycle", "monthly");
        var (againExit, again) = await MigrateAsync("--tier", "professional", "--cycle", "monthly");

        Assert.That(dryExit, Is.Zero, dry);
        Assert.That(dry, Does.Contain($"would move {old} ").And.Contain("1 subscription(s) of professional_monthly to move"));
        Assert.That(dry, Does.Not.Contain(current).And.Not.Contain(otherCycle));
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain($"scheduled {old}"));
        var scheduleId = App.Stripe.Subscription(old)!["schedule"]!.GetValue<string>();
        Assert.That(App.Stripe.Schedule(scheduleId)!["phases"]![1]!["items"]![0]!["price"]!.GetValue<string>(), Is.EqualTo(CurrentPrice("professional_monthly")));
        Assert.That(againExit, Is.Zero, again);
        Assert.That(again, Does.Contain("nothing to move"), "a subscription scheduled to move is not moved again");

        App.Stripe.RenewNow(old);
        Assert.That(PriceOf(old), Is.EqualTo(CurrentPrice("professional_monthly")), "it pays the new price from its renewal");
    }

    [Test]
    public async Task A_run_now_that_is_interrupted_goes_on_where_it_stopped_without_moving_anyone_twice()
    {
        string[] subscribers = [await SubscribeAsync("enterprise"), await SubscribeAsync("enterprise")];
        await RepriceAsync("Billing:Catalog:Tiers:enterprise:Prices:monthly", 10900);
        var (_, dry) = await MigrateAsync("--tier", "enterprise", "--cycle", "monthly", "--dry-run");
        var order = subscribers.OrderBy(s => dry.IndexOf(s, StringComparison.Ordinal)).ToArray();

        // Stripe fails every change of the second one: the run stops there, after moving the first.
        App.Stripe.Faults.FailFor(TimeSpan.FromMinutes(5), FaultKind.ServerError, $"/v1/subscriptions/{order[1]}", "POST");
        var (stoppedExit, stopped) = await MigrateAsync("--tier", "enterprise", "--cycle", "monthly", "--at", "now");
        App.Stripe.Faults.Clear();
        var (exit, output) = await MigrateAsync("--tier", "enterprise", "--cycle", "monthly", "--at", "now");

        Assert.That(stoppedExit, Is.EqualTo(1), stopped);
        Assert.That(stopped, Does.Contain($"moved {order[0]}").And.Contain($"stopped at {order[1]}"));
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain($"moved {order[1]}").And.Not.Contain(order[0]));
        Assert.That(subscribers.Select(PriceOf), Is.All.EqualTo(CurrentPrice("enterprise_monthly")));
        Assert.That(App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{order[0]}").Count(r => r.Status == 200), Is.EqualTo(1), "moved once");
        using var admin = App.Admin();
        await App.SettleAsync();
        var history = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{App.Stripe.Subscription(order[0])!["metadata"]!["keycloak_user_id"]!.GetValue<string>()}");
        Assert.That(history!.ToJsonString(), Does.Contain("price_migrated"));
    }
}
