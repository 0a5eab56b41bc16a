using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Application.Admin.Reconcile;
using Billing.Application.Ports;
using Billing.Infrastructure.Persistence;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>
/// Drift planted where it happens for real (a store restored from backup, an attribute edited in Keycloak, a plan
/// changed in Lago, a customer deleted while its event was lost) is found by reconciliation, left alone by a dry
/// run, and repaired through the normal paths.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class ReconciliationTests(Database database) : AppFixture(database)
{
    private sealed record Subscribed(KeycloakUser User, HttpClient Client, string CustomerId, string SubscriptionId);

    private async Task<Subscribed> SubscribeAsync(string tier = "professional")
    {
        var user = App.Keycloak.AddUser($"rc-{Guid.NewGuid():N}"[..16], $"{Guid.NewGuid():N}@example.com", id: Guid.NewGuid().ToString());
        var client = App.ClientFor(user.Id, user.Email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var completed = App.Stripe.CompleteCheckout((await response.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body;
        return new Subscribed(user, client, completed["customer"]!.GetValue<string>(), completed["subscription"]!.GetValue<string>());
    }

    /// <summary>Changes the store behind the service's back, as a restore from an older backup would.</summary>
    private async Task RestoreFromBackupAsync(FormattableString sql)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Database.ExecuteSqlAsync(sql);
    }

    private async Task<ReconciliationReport> ReconcileAsync(bool dryRun, string? userId = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RunReconciliation(userId, dryRun, "test"));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        return result.Value;
    }

    private Task<JsonObject?> AccountAsync(string userId) =>
        Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}");

    private async Task<JsonObject?> AccountOrNullAsync(string userId)
    {
        using var response = await Admin.GetAsync($"/api/v1/billing/admin/accounts/{userId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonObject>();
    }

    private static IEnumerable<string> KindsFor(ReconciliationReport report, string userId) =>
        report.Findings.Where(f => f.UserId == userId).Select(f => f.Kind);

    [Test]
    public async Task Reconcile_finds_each_kind_of_planted_drift_a_dry_run_changes_nothing_and_a_run_repairs_it_all()
    {
        var tier = await SubscribeAsync();
        var status = await SubscribeAsync();
        var keycloak = await SubscribeAsync();
        var lago = await SubscribeAsync();
        var unknown = await SubscribeAsync();
        var deleted = await SubscribeAsync();
        await App.SettleAsync();
        await Webhooks.EventuallyAsync(async () => (await AccountAsync(lago.User.Id))!, a => a["outbox"]!.AsArray().All(m => m!["status"]!.GetValue<string>() != "pending"));

        // The customer is deleted in Stripe and its event processed; then the store is restored from before that.
        await new global::Stripe.CustomerService(App.StripeSdk()).DeleteAsync(deleted.CustomerId);
        await App.SettleAsync();
        await RestoreFromBackupAsync($"UPDATE billing_accounts SET stripe_customer_id = {deleted.CustomerId}, stripe_subscription_id = {deleted.SubscriptionId}, deleted_stripe_customer_id = NULL, status = 'Active', tier = 'Professional' WHERE user_id = {deleted.User.Id}");
        await RestoreFromBackupAsync($"UPDATE billing_accounts SET tier = 'Starter' WHERE user_id = {tier.User.Id}");
        await RestoreFromBackupAsync($"UPDATE billing_accounts SET status = 'PastDue' WHERE user_id = {status.User.Id}");
        await RestoreFromBackupAsync($"DELETE FROM billing_accounts WHERE user_id = {unknown.User.Id}");
        keycloak.User.Attributes.Remove("subscription_tier");
        App.Lago.Subscriptions[lago.SubscriptionId]["plan_code"] = "starter";

        var dry = await ReconcileAsync(dryRun: true);

        Assert.That(KindsFor(dry, tier.User.Id), Does.Contain(DriftKinds.Tier));
        Assert.That(KindsFor(dry, status.User.Id), Does.Contain(DriftKinds.Status));
        Assert.That(KindsFor(dry, keycloak.User.Id), Is.EqualTo(new[] { "keycloak_attributes" }));
        Assert.That(KindsFor(dry, lago.User.Id), Is.EqualTo(new[] { "lago_plan" }));
        Assert.That(KindsFor(dry, unknown.User.Id), Is.EqualTo(new[] { DriftKinds.UnknownSubscription }));
        Assert.That(KindsFor(dry, deleted.User.Id), Is.EqualTo(new[] { DriftKinds.DeletedCustomer }));
        Assert.That(dry.Findings.Where(f => f.Repaired), Is.Empty, "a dry run repairs nothing");
        await App.SettleAsync();
        Assert.That((await AccountAsync(tier.User.Id))!["subscription"]!["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"), "a dry run changes nothing");
        Assert.That(keycloak.User.Attributes.ContainsKey("subscription_tier"), Is.False);
        Assert.That(App.Lago.Subscriptions[lago.SubscriptionId]["plan_code"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(await AccountOrNullAsync(unknown.User.Id), Is.Null);
        Assert.That((await AccountAsync(deleted.User.Id))!["stripe_customer_id"]!.GetValue<string>(), Is.EqualTo(deleted.CustomerId));

        var run = await ReconcileAsync(dryRun: false);
        await App.SettleAsync();
        await Webhooks.EventuallyAsync(
            async () => (Keycloak: keycloak.User.Attributes.ContainsKey("subscription_tier"), Lago: App.Lago.Subscriptions[lago.SubscriptionId]["plan_code"]!.GetValue<string>()),
            r => r.Keycloak && r.Lago == "professional");

        Assert.That(run.Findings.Where(f => f.UserId is { } u && new[] { tier.User.Id, status.User.Id, keycloak.User.Id, lago.User.Id, unknown.User.Id, deleted.User.Id }.Contains(u)).All(f => f.Repaired), Is.True);
        var repairedTier = (await AccountAsync(tier.User.Id))!;
        Assert.That(repairedTier["subscription"]!["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(App.Keycloak.FindUser(tier.User.Id)!.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }), "the repair reached Keycloak through the outbox");
        Assert.That((await AccountAsync(status.User.Id))!["subscription"]!["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(keycloak.User.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
        var adopted = (await AccountAsync(unknown.User.Id))!;
        Assert.That(adopted["stripe_customer_id"]!.GetValue<string>(), Is.EqualTo(unknown.CustomerId));
        Assert.That(adopted["subscription"]!["status"]!.GetValue<string>(), Is.EqualTo("active"));
        var unlinked = (await AccountAsync(deleted.User.Id))!;
        Assert.That(unlinked["stripe_customer_id"], Is.Null, "the user may check out again");
        Assert.That(unlinked["subscription"]!["status"]!.GetValue<string>(), Is.EqualTo("canceled"));

        var again = await ReconcileAsync(dryRun: false);
        Assert.That(again.Findings.Where(f => f.UserId is { } u && new[] { tier.User.Id, status.User.Id, keycloak.User.Id, lago.User.Id, unknown.User.Id, deleted.User.Id }.Contains(u)), Is.Empty, "a second run finds nothing left");
    }

    [Test]
    public async Task An_admin_reconciles_one_user_and_the_last_report_and_the_audit_trail_show_it()
    {
        var subscribed = await SubscribeAsync();
        await App.SettleAsync();
        await RestoreFromBackupAsync($"UPDATE billing_accounts SET tier = 'Enterprise' WHERE user_id = {subscribed.User.Id}");

        using var response = await Admin.PostAsJsonAsync("/api/v1/billing/admin/reconcile", new { user_id = subscribed.User.Id });
        var report = await response.Content.ReadFromJsonAsync<JsonObject>();
        var last = (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/billing/admin/reconcile/last"))!;
        var audit = (await Admin.GetFromJsonAsync<JsonArray>($"/api/v1/billing/admin/audit?target={subscribed.User.Id}"))!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), report?.ToJsonString());
        Assert.That(report!["accounts_checked"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(report["findings"]!.AsArray().Select(f => (f!["kind"]!.GetValue<string>(), f["repaired"]!.GetValue<bool>())), Is.EqualTo(new[] { ("tier", true) }));
        Assert.That(last["started_at"]!.GetValue<string>(), Is.EqualTo(report["started_at"]!.GetValue<string>()));
        Assert.That(last["trigger"]!.GetValue<string>(), Is.EqualTo("admin-1"));
        Assert.That((await AccountAsync(subscribed.User.Id))!["subscription"]!["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(audit.Select(a => (a!["action"]!.GetValue<string>(), a["admin_id"]!.GetValue<string>(), a["outcome"]!.GetValue<string>())), Does.Contain(("run_reconciliation", "admin-1", "succeeded")));
    }

    [Test]
    public async Task Reconciling_an_unknown_user_is_404_and_a_request_without_a_user_is_400_changing_nothing()
    {
        using var unknown = await Admin.PostAsJsonAsync("/api/v1/billing/admin/reconcile", new { user_id = "nobody-here" });
        using var missing = await Admin.PostAsJsonAsync("/api/v1/billing/admin/reconcile", new { dry_run = true });

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("user_id"));
    }

    [Test]
    public async Task Each_scheduled_run_is_claimed_by_exactly_one_instance()
    {
        var slot = $"scheduled:{Guid.NewGuid():N}";
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IReconciliationLog>().TryClaimScheduledRunAsync(slot, CancellationToken.None);
        }));

        Assert.That(claims.Count(c => c), Is.EqualTo(1));
    }
}

/// <summary>The schedule starts a run on its own, recorded as scheduled.</summary>
public sealed class ScheduledReconciliationTests : AppFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Billing:Reconcile:Interval"] = "00:00:02";

    [Test]
    public async Task A_reconciliation_runs_at_each_interval_and_its_report_is_the_last()
    {
        var last = await Webhooks.EventuallyAsync(
            async () =>
            {
                using var response = await Admin.GetAsync("/api/v1/billing/admin/reconcile/last");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            },
            r => r is not null);

        Assert.That(last!["trigger"]!.GetValue<string>(), Is.EqualTo("scheduled"));
        Assert.That(last["dry_run"]!.GetValue<bool>(), Is.False);
    }
}
