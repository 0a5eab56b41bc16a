using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Billing.Api.Tests;

/// <summary>A past-due account keeps its tier through the grace period, and Keycloak hears when it ends, with no event from Stripe.</summary>
public sealed class GracePeriodTests
{
    [Test]
    public async Task When_the_grace_period_ends_Keycloak_gets_the_reduced_tier()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Only the host on the fake clock works the inbox and the outbox: every time in this test is the fake one.
        await using var app = await BillingApp.StartAsync(configure: s =>
        {
            s["Billing:PastDueGracePeriod"] = "3.00:00:00";
            s["Billing:Webhooks:Enabled"] = "false";
            s["Billing:Sync:Enabled"] = "false";
        });
        var host = app.Host.WithWebHostBuilder(b =>
        {
            b.UseSetting("Billing:Webhooks:Enabled", "true");
            b.UseSetting("Billing:Sync:Enabled", "true");
            b.UseSetting("Billing:Sync:RetryHorizon", "365.00:00:00");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        });
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Billing.Application.Catalog.Publish.PublishCatalog(false));
        }

        var user = app.Keycloak.AddUser("late-payer", "late@example.com", id: Guid.NewGuid().ToString());
        var (_, subscriptionId) = app.Stripe.SeedSubscription("professional_monthly", user.Id);
        using var stripe = host.CreateClient();
        (await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.created", app.Stripe.Subscription(subscriptionId)!))).Dispose();
        string? Tier() => app.Keycloak.FindUser(user.Id)!.Attributes.GetValueOrDefault("subscription_tier")?.Single();
        string? Status() => app.Keycloak.FindUser(user.Id)!.Attributes.GetValueOrDefault("subscription_status")?.Single();
        await Webhooks.EventuallyAsync(() => Task.FromResult(Tier()), t => t == "professional");

        app.Stripe.FailRenewal(subscriptionId);
        (await Webhooks.PostAsync(stripe, Webhooks.Event("invoice.payment_failed", Webhooks.Invoice(app.Stripe.Subscription(subscriptionId)!, "open")))).Dispose();
        (await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.updated", app.Stripe.Subscription(subscriptionId)!, created: DateTimeOffset.UtcNow.AddSeconds(1)))).Dispose();
        await Webhooks.EventuallyAsync(() => Task.FromResult(Status()), s => s == "past_due");
        var tierInGrace = Tier();

        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        var tierAfterGrace = await Webhooks.EventuallyAsync(() => Task.FromResult(Tier()), t => t == "trial");
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Keycloak.IssueToken(user.Id, user.Email, lifetime: TimeSpan.FromDays(30)));
        var status = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status");

        Assert.That(tierInGrace, Is.EqualTo("professional"), "access is kept during the grace period");
        Assert.That(tierAfterGrace, Is.EqualTo("trial"), "and reduced when it ends, with no new event from Stripe");
        Assert.That(Status(), Is.EqualTo("past_due"));
        Assert.That(status!["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"), "the subscription itself is still on professional");
    }
}
