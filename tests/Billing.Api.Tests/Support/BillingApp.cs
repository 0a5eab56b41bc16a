using System.Net.Http.Headers;
using Billing.Application.Catalog.Publish;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Lago;
using Billing.Sandbox.Mail;
using Billing.Sandbox.Databases;
using Billing.Sandbox.Postgres;
using Billing.Sandbox.Stripe;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests.Support;

/// <summary>
/// The real API (its Program, adapters and settings) wired only through its settings to the Stripe, Keycloak
/// and Lago stand-ins, on a database of its own.
/// </summary>
public sealed class BillingApp : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_test_billing";
    private readonly List<WebApplicationFactory<Program>> _hosts = [];
    private TestDatabase? _database;

    private BillingApp()
    {
    }

    public StripeStandIn Stripe { get; } = new();

    public KeycloakStandIn Keycloak { get; } = new();

    public LagoStandIn Lago { get; } = new();

    /// <summary>The mail server users are e-mailed through; every app has one, as a deployment with SMTP_HOST would.</summary>
    public SmtpStandIn Mail { get; } = new();

    public Dictionary<string, string?> Settings { get; } = [];

    public WebApplicationFactory<Program> Host => _hosts[0];

    public IServiceProvider Services => Host.Services;

    /// <summary>The value of <c>STRIPE_TEST_CLOCK</c> a fixture sets to have a test clock made in the Stripe stand-in and used.</summary>
    public const string NewTestClock = "clock_new_for_this_app";

    /// <param name="keycloakSetUp">False to leave the realm's user profile as a new realm has it (the billing attributes undeclared).</param>
    public static async Task<BillingApp> StartAsync(Database database = Database.Sqlite, Action<Dictionary<string, string?>>? configure = null, bool keycloakSetUp = true)
    {
        var app = new BillingApp();
        await app.Stripe.StartAsync();
        await app.Keycloak.StartAsync();
        await app.Lago.StartAsync();
        await app.Mail.StartAsync(httpPort: 0, smtpPort: 0);
        // The service account may also change the realm's user profile here, so the fixture runs `keycloak setup` as an operator would once.
        app.Keycloak.AddClient("billing-service", "billing-secret", KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole);
        foreach (var (plan, amount) in new[] { ("trial", 100L), ("starter", 1900L), ("professional", 4900L), ("enterprise", 9900L) })
        {
            app.Lago.AddPlan(plan, amount, "monthly");
        }

        app._database = await TestDatabase.CreateAsync(database, "api");
        if (app._database is null)
        {
            Assert.Ignore(PostgresServer.Unavailable ?? "No PostgreSQL server.");
        }

        app.Settings["BILLING_DATABASE"] = app._database!.ConnectionString;
        app.Settings["STRIPE_API_KEY"] = app.Stripe.ApiKey;
        app.Settings["STRIPE_API_BASE"] = app.Stripe.BaseUrl.AbsoluteUri;
        app.Settings["STRIPE_WEBHOOK_SECRET"] = WebhookSecret;
        app.Settings["STRIPE_SUCCESS_URL"] = "https://app.example/billing/success";
        app.Settings["STRIPE_CANCEL_URL"] = "https://app.example/billing/cancel";
        app.Settings["KEYCLOAK_URL"] = app.Keycloak.BaseUrl.AbsoluteUri;
        app.Settings["KEYCLOAK_REALM"] = app.Keycloak.Realm;
        app.Settings["KEYCLOAK_AUDIENCE"] = app.Keycloak.Audience;
        app.Settings["KEYCLOAK_CLIENT_ID"] = "billing-service";
        app.Settings["KEYCLOAK_CLIENT_SECRET"] = "billing-secret";
        app.Settings["LAGO_API_URL"] = app.Lago.BaseUrl.AbsoluteUri;
        app.Settings["LAGO_API_KEY"] = app.Lago.ApiKey;
        app.Settings["SMTP_HOST"] = "127.0.0.1";
        app.Settings["SMTP_PORT"] = app.Mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Settings["SMTP_FROM"] = "Billing <billing@example.com>";
        app.Settings["Billing:RateLimit:PermitLimit"] = "1000";
        app.Settings["Billing:Swagger:Enabled"] = "true";

        // Tests change what the stand-ins answer between two reads of readiness; the cache has a test of its own.
        app.Settings["Billing:Health:ProbeCache"] = "00:00:00";
        app.Settings["Billing:Webhooks:PollInterval"] = "00:00:00.050";
        app.Settings["Billing:Sync:PollInterval"] = "00:00:00.050";
        app.Settings["Billing:Sync:BaseDelay"] = "00:00:00.100";
        // Twelve attempts span about ten seconds: longer than the resilience handler's five-second open circuit.
        app.Settings["Billing:Sync:MaxDelay"] = "00:00:01";
        app.Settings["Billing:Sync:MaxAttempts"] = "12";
        app.Settings["Billing:Usage:PollInterval"] = "00:00:00.050";

        // The daily reconciliation has tests of its own; one starting at midnight in another test would be noise.
        app.Settings["Billing:Reconcile:Interval"] = "00:00:00";

        // Stripe's pace has tests of its own; the others run at a stand-in's pace, well above Stripe's.
        app.Settings["Billing:Stripe:RequestsPerSecond"] = "1000";
        foreach (var plan in new[] { "trial", "starter", "professional", "enterprise" })
        {
            app.Settings[$"Lago:PlanCodes:{plan}"] = plan;
        }

        configure?.Invoke(app.Settings);
        if (app.Settings.GetValueOrDefault("STRIPE_TEST_CLOCK") == NewTestClock)
        {
            // As the sandbox does: one test clock, made now, that every customer of the service is put on.
            app.Settings["STRIPE_TEST_CLOCK"] = app.Stripe.CreateClock("api tests", DateTimeOffset.UtcNow);
        }

        app.AddHost();
        if (keycloakSetUp)
        {
            await app.DeclareKeycloakAttributesAsync();
        }

        return app;
    }

    /// <summary>An app with the catalog in the Stripe stand-in and the stand-in's webhooks delivered to it: ready for a user to pay.</summary>
    public static async Task<BillingApp> StartWithCatalogAsync(Database database = Database.Sqlite, Action<Dictionary<string, string?>>? configure = null, bool keycloakSetUp = true)
    {
        var app = await StartAsync(database, configure, keycloakSetUp);
        await app.PublishCatalogAsync();
        app.DeliverStripeWebhooksHere();
        return app;
    }

    /// <summary>Waits until Stripe has delivered every webhook and the inbox has processed them all.</summary>
    public async Task SettleAsync()
    {
        await Stripe.Webhooks.WaitUntilIdleAsync(TimeSpan.FromSeconds(10));
        using var admin = Admin();
        await Webhooks.WaitUntilProcessedAsync(admin);
    }

    /// <summary>Another instance of the API on the same database and stand-ins, as a second replica would be.</summary>
    public WebApplicationFactory<Program> AddHost()
    {
        var host = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            // A null leaves the setting unset (as if it were never given).
            foreach (var (key, value) in Settings.Where(s => s.Value is not null))
            {
                builder.UseSetting(key, value);
            }
        });
        _hosts.Add(host);
        _ = host.Server;
        return host;
    }

    /// <summary>Another instance listening on a real port (Kestrel), for a browser; returns its base address.</summary>
    public Uri AddKestrelHost()
    {
        var host = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in Settings.Where(s => s.Value is not null))
            {
                builder.UseSetting(key, value);
            }
        });
        host.UseKestrel(0);
        host.StartServer();
        _hosts.Add(host);
        var addresses = host.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public HttpClient Anonymous() => Host.CreateClient();

    public HttpClient ClientFor(string userId, string? email = null, params string[] roles) =>
        WithToken(Keycloak.IssueToken(userId, email ?? $"{userId}@example.com", roles));

    public HttpClient WithToken(string token)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Admin() => ClientFor("admin-1", "admin@example.com", "billing-admin");

    /// <summary>Stripe.net pointed at the stand-in, to change Stripe's state as a dashboard user would.</summary>
    public global::Stripe.StripeClient StripeSdk() =>
        new(apiKey: Stripe.ApiKey, apiBase: Stripe.BaseUrl.AbsoluteUri.TrimEnd('/'));

    /// <summary>Lets the Stripe stand-in deliver its webhooks to this app's in-memory server.</summary>
    public void DeliverStripeWebhooksHere() =>
        Stripe.Webhooks.Configure(new Uri(Host.Server.BaseAddress, Webhooks.Path), WebhookSecret, Host.CreateClient());

    public async Task PublishCatalogAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishCatalog(DryRun: false));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
    }

    /// <summary>What <c>keycloak setup</c> does: declares the billing attributes in the realm's user profile.</summary>
    public async Task<IReadOnlyList<string>> DeclareKeycloakAttributesAsync(bool dryRun = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new Billing.Application.Identity.DeclareAttributes.DeclareIdentityAttributes(dryRun));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        return result.Value.Declared;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Stripe.DisposeAsync();
        await Keycloak.DisposeAsync();
        await Lago.DisposeAsync();
        await Mail.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
