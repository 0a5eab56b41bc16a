using System.Diagnostics;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>The one-time commands, run as an operator runs them: the built service, from any working directory.</summary>
public sealed class SetupCommandTests
{
    private static string ApiAssembly()
    {
        // The service as built beside these tests, in the same configuration (Debug or Release).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Billing.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root!.FullName, "src", "Billing.Api", "bin", configuration, "net10.0", "Billing.Api.dll");
    }

    private static async Task<(int Exit, string Output)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(ApiAssembly());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["BILLING_DATABASE"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"billing-cli-{Guid.NewGuid():N}.db")}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

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
        Assert.That(first.Output, Does.Contain("6 attribute(s) declared"));
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
