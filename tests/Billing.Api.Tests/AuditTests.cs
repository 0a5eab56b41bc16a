using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>Every administrator action is on record: who, what, when, and how it ended, refused ones included.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class AuditTests(Database database) : AppFixture(database)
{
    [Test]
    public async Task Admin_actions_are_recorded_with_who_what_when_and_outcome_and_only_admins_read_them()
    {
        using var client = App.ClientFor("audited-user");
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        App.Stripe.CompleteCheckout((await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        var processed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=processed&limit=1"))![0]!["id"]!.GetValue<string>();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var replayed = await Admin.PostAsync($"/api/v1/billing/admin/webhook-events/{processed}/replay", null);
        using var unknownEvent = await Admin.PostAsync("/api/v1/billing/admin/webhook-events/evt_missing/replay", null);
        using var notTrialing = await Admin.PostAsJsonAsync("/api/v1/billing/admin/accounts/audited-user/trial/extend", new { days = 7 });
        await App.SettleAsync();
        var entries = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/audit?admin_id=admin-1&limit=10"))!;
        var forUser = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/audit?target=audited-user"))!;
        using var asUser = await client.GetAsync("/api/v1/billing/admin/audit");

        var recent = entries.Select(e => (Action: e!["action"]!.GetValue<string>(), Target: e["target"]!.GetValue<string>(), Outcome: e["outcome"]!.GetValue<string>(), At: e["at"]!.GetValue<DateTimeOffset>())).Take(3).Reverse().ToList();
        Assert.That(recent.Select(e => (e.Action, e.Outcome)), Is.EqualTo(new[]
        {
            ("replay_webhook_event", "succeeded"),
            ("replay_webhook_event", "webhook_event_not_found"),
            ("extend_trial", (await notTrialing.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>()),
        }));
        Assert.That(recent[0].Target, Does.Contain(processed));
        Assert.That(recent.Select(e => e.At), Has.All.GreaterThan(before));
        Assert.That(entries.Select(e => e!["admin_id"]!.GetValue<string>()), Is.All.EqualTo("admin-1"));
        Assert.That(forUser.Select(e => e!["action"]!.GetValue<string>()), Is.EqualTo(new[] { "extend_trial" }));
        Assert.That(asUser.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
