using Billing.Api.Tests.Support;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>The one-time commands, run as an operator runs them: the built service, from any working directory.</summary>
public sealed class SetupCommandTests
{
    private static Task<(int Exit, string Output)> RunAsync(Dictionary<string, string> environment, params string[] arguments) =>
        ServiceProcess.RunAsync(environment, arguments);

    [Test]
    public async Task Catalog_sync_finds_the_catalog_of_appsettings_from_any_working_directory()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();

        var (exit, output) = await RunAsync(new() { ["STRIPE_API_KEY"] = stripe.ApiKey, ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri }, "catalog", "sync", "--dry-run");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("would create product billing_professional").And.Contain("professional_yearly"));
        Assert.That(stripe.Prices(), Is.Empty, "a dry run changes nothing");
    }

    [Test]
    public async Task Keycloak_setup_prints_what_it_declares_and_a_second_run_changes_nothing()
    {
        await using var keycloak = new KeycloakStandIn();
        await keycloak.StartAsync();
        keycloak.AddClient("billing-setup", "setup-secret", KeycloakStandIn.ManageRealmRole);
        var environment = new Dictionary<string, string>
        {
            ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri,
            ["KEYCLOAK_REALM"] = keycloak.Realm,
            ["KEYCLOAK_CLIENT_ID"] = "billing-setup",
            ["KEYCLOAK_CLIENT_SECRET"] = "setup-secret",
        };

        var dry = await RunAsync(environment, "keycloak", "setup", "--dry-run");
        var unchangedByDryRun = keycloak.Profile.Configuration["attributes"]!.AsArray().Count;
        var first = await RunAsync(environment, "keycloak", "setup");
        var second = await RunAsync(environment, "keycloak", "setup");

        Assert.That(dry.Exit, Is.Zero, dry.Output);
        Assert.That(dry.Output, Does.Contain("would declare user profile attribute subscription_tier"));
        Assert.That(unchangedByDryRun, Is.EqualTo(4));
        Assert.That(first.Exit, Is.Zero, first.Output);
        Assert.That(first.Output, Does.Contain("8 attribute(s) declared"));
        Assert.That(second.Output, Does.Contain("nothing to change"));
    }

    [Test]
    public async Task Keycloak_setup_without_manage_realm_fails_naming_the_role()
    {
        await using var keycloak = new KeycloakStandIn();
        await keycloak.StartAsync();
        keycloak.AddClient("billing-service", "secret", KeycloakStandIn.ManageUsersRole);

        var (exit, output) = await RunAsync(
            new() { ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri, ["KEYCLOAK_REALM"] = keycloak.Realm, ["KEYCLOAK_CLIENT_ID"] = "billing-service", ["KEYCLOAK_CLIENT_SECRET"] = "secret" },
            "keycloak",
            "setup");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("manage-realm"));
        Assert.That(output, Does.Not.Contain("secret\n").And.Not.Contain("Exception"));
    }
}

/// <summary>A bad setting stops the start with one line naming it (never its value), exit code 78, and no stack trace.</summary>
public sealed class StartupFailureTests
{
    private static Task<(int Exit, string Output)> StartAsync(string setting, string value) =>
        ServiceProcess.RunAsync(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", [setting] = value }, "--urls", "http://127.0.0.1:0");

    [TestCase("Billing__PastDueGracePeriod", "abc-secret-1", "Billing:PastDueGracePeriod")]
    [TestCase("Billing__ProrationBehavior", "bogus-secret-2", "Billing:ProrationBehavior")]
    [TestCase("Billing__CheckoutSessionLifetime", "00:05:00", "Billing:CheckoutSessionLifetime")]
    [TestCase("Billing__RateLimit__PermitLimit", "-5", "Billing:RateLimit:PermitLimit")]
    [TestCase("Billing__RateLimit__Window", "often-secret-3", "Billing:RateLimit:Window")]
    [TestCase("Billing__Catalog__Tiers__starter__Prices__monthly", "cheap-secret-4", "Billing:Catalog:Tiers:starter:Prices:monthly")]
    [TestCase("BILLING_DATABASE", "garbage-secret-5", "BILLING_DATABASE")]
    [TestCase("KEYCLOAK_URL", "not-a-url-secret-6", "KEYCLOAK_URL")]
    [TestCase("KEYCLOAK_URL", "http://keycloak.example.com", "KEYCLOAK_URL")]
    [TestCase("STRIPE_SUCCESS_URL", "nowhere-secret-7", "STRIPE_SUCCESS_URL")]
    [TestCase("KEYCLOAK_ADMIN_PASSWORD", "pw-secret-8", "KEYCLOAK_ADMIN_USERNAME")]
    [TestCase("KEYCLOAK_ADMIN_USERNAME", "admin-secret-9", "KEYCLOAK_ADMIN_PASSWORD")]
    [TestCase("KEYCLOAK_CLIENT_ID", "billing-secret-10", "KEYCLOAK_CLIENT_SECRET")]
    [TestCase("Billing__Sync__MaxAttempts", "many-secret-13", "Billing:Sync:MaxAttempts")]
    [TestCase("Billing__Webhooks__Lease", "-00:00:05", "Billing:Webhooks")]
    [TestCase("Billing__Retention__StripeEvents", "forever-secret-14", "Billing:Retention:StripeEvents")]
    [TestCase("BILLING_DATABASE", "Host=127.0.0.1;Port=1;Username=u;Password=secret-11;Database=d", "BILLING_DATABASE")]
    [TestCase("BILLING_DATABASE", "Data Source=/nonexistent-dir-secret-12/billing.db", "BILLING_DATABASE")]
    [TestCase("BILLING_CORS_ORIGINS", "https://app.example.com/path-secret-15", "BILLING_CORS_ORIGINS")]
    [TestCase("BILLING_FORWARDED_HEADERS", "proxy-secret-16", "BILLING_FORWARDED_HEADERS")]
    public async Task A_bad_setting_stops_the_start_with_one_line_naming_it(string variable, string value, string named)
    {
        var (exit, output) = await StartAsync(variable, value);

        Assert.That(exit, Is.EqualTo(78), output);
        Assert.That(output, Does.Contain(named));
        Assert.That(output, Does.Not.Contain(value), "the value is never printed");
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1));
    }
}
