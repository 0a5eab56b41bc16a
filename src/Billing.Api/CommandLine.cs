using Billing.Application.Admin.Reconcile;
using Billing.Application.Catalog.Publish;
using Billing.Application.Identity.DeclareAttributes;
using Billing.Application.Webhooks.SetUp;
using Billing.Infrastructure;
using Mediator;

namespace Billing.Api;

/// <summary>
/// The one-time setup commands, run by the same host as the service (same settings):
/// <c>catalog sync [--dry-run]</c> puts the plan catalog into Stripe; <c>keycloak setup [--dry-run]</c> declares
/// the billing attributes in the realm's user profile; <c>reconcile [--dry-run] [--user ID]</c> compares Stripe, the
/// store, Keycloak and Lago and repairs what differs; <c>webhooks setup --url URL [--dry-run]</c> makes Stripe's webhook
/// endpoint for that URL send exactly the handled events in the API version the service parses; <c>catalog migrate</c>
/// moves subscribers off a plan's superseded prices (<see cref="CatalogMigration"/>). Each prints what it changes; a
/// second run changes nothing.
/// </summary>
public static class CommandLine
{
    private const string Usage = "usage: catalog sync [--dry-run] | catalog migrate --tier TIER --cycle CYCLE [--at renewal|now] [--dry-run] | keycloak setup [--dry-run] | reconcile [--dry-run] [--user ID] | webhooks setup --url URL [--dry-run]";

    public static bool IsCommand(string[] args) => args is ["catalog", ..] or ["keycloak", ..] or ["reconcile", ..] or ["webhooks", ..];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["reconcile", .. var rest])
        {
            return await ReconcileAsync(app, rest);
        }

        if (args is ["webhooks", "setup", .. var setup])
        {
            return await SetUpWebhooksAsync(app, setup);
        }

        if (args is ["catalog", "migrate", .. var migrate])
        {
            return await CatalogMigration.RunAsync(app, migrate, Usage);
        }

        var known = args is ["catalog", "sync", ..] or ["keycloak", "setup", ..];
        var options = args.Skip(2).ToList();
        if (!known || options.Any(o => o != "--dry-run"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var dryRun = options.Contains("--dry-run");
        await using var scope = app.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        return args[0] == "catalog" ? await SyncCatalogAsync(sender, dryRun) : await SetUpKeycloakAsync(sender, dryRun);
    }

    private static async Task<int> SyncCatalogAsync(ISender sender, bool dryRun)
    {
        var result = await sender.Send(new PublishCatalog(dryRun));
        if (!result.IsSuccess)
        {
            await Console.Error.WriteLineAsync($"catalog sync failed: {result.Error!.Detail}");
            return 1;
        }

        var report = result.Value;
        foreach (var change in report.Changes)
        {
            Console.WriteLine($"{(dryRun ? "would " : string.Empty)}{change.Action} {change.Target}: {change.Detail}");
        }

        Console.WriteLine(report.UpToDate ? "Stripe already matches the catalog; nothing to change." : $"{report.Changes.Count} change(s) {(dryRun ? "to make (dry run, nothing changed)" : "made")}.");
        return 0;
    }

    private static async Task<int> ReconcileAsync(WebApplication app, string[] options)
    {
        var dryRun = false;
        string? userId = null;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--user" when i + 1 < options.Length && userId is null:
                    userId = options[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }

        // The store may be new or behind: reconcile needs its tables as the service would have them.
        await app.Services.PrepareDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RunReconciliation(userId, dryRun, "command_line"));
        if (!result.IsSuccess)
        {
            await Console.Error.WriteLineAsync($"reconcile failed: {result.Error!.Detail}");
            return 1;
        }

        var report = result.Value;
        foreach (var finding in report.Findings)
        {
            var action = finding.Repaired ? "repaired" : dryRun && finding.Kind != DriftKinds.CheckFailed ? "would repair" : "found";
            Console.WriteLine($"{action} {finding.Kind}{(finding.UserId is null ? string.Empty : $" for {finding.UserId}")}: {finding.Detail}");
        }

        Console.WriteLine($"{report.AccountsChecked} account(s) checked against {report.StripeSubscriptionsListed} Stripe subscription(s): {report.Findings.Count} difference(s), {report.Repaired} repaired{(dryRun ? " (dry run, nothing changed)" : string.Empty)}.");
        return 0;
    }

    private static async Task<int> SetUpKeycloakAsync(ISender sender, bool dryRun)
    {
        var result = await sender.Send(new DeclareIdentityAttributes(dryRun));
        if (!result.IsSuccess)
        {
            await Console.Error.WriteLineAsync($"keycloak setup failed: {result.Error!.Detail}");
            return 1;
        }

        var report = result.Value;
        if (report.RealmKeepsAnyAttribute)
        {
            Console.WriteLine("The realm has no declarative user profile (Keycloak before 24): it keeps any attribute written, so there is nothing to declare.");
            return 0;
        }

        foreach (var name in report.Declared)
        {
            Console.WriteLine($"{(dryRun ? "would declare" : "declared")} user profile attribute {name} (view: admin, user; edit: admin; single-valued)");
        }

        Console.WriteLine(report.UpToDate ? "The realm's user profile already declares every billing attribute; nothing to change." : $"{report.Declared.Count} attribute(s) {(dryRun ? "to declare (dry run, nothing changed)" : "declared")}.");
        return 0;
    }

    private static async Task<int> SetUpWebhooksAsync(WebApplication app, string[] options)
    {
        var dryRun = options.Contains("--dry-run");
        var url = options.SkipWhile(o => o != "--url").Skip(1).FirstOrDefault();
        if (options.Any(o => o is not "--dry-run" and not "--url" && o != url))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SetUpWebhookEndpoint(url, dryRun));
        if (!result.IsSuccess)
        {
            await Console.Error.WriteLineAsync($"webhooks setup failed: {result.Error!.Detail}");
            return 1;
        }

        var report = result.Value;
        foreach (var change in report.Changes)
        {
            Console.WriteLine($"{(dryRun ? "would " : string.Empty)}{change}");
        }

        foreach (var old in report.ToDelete)
        {
            Console.WriteLine($"endpoint {old} delivers to the same URL in another API version: delete it in Stripe once the new one receives events (duplicates are accepted once).");
        }

        if (report.SigningSecret is { } secret)
        {
            // Shown once, here, on the console of whoever ran the command; Stripe will not show it again, the log never does.
            Console.WriteLine($"Signing secret of {report.EndpointId} (set STRIPE_WEBHOOK_SECRET to it; shown only now): {secret}");
        }

        Console.WriteLine(report.UpToDate ? $"Stripe's endpoint {report.EndpointId} already sends exactly the handled events in the pinned API version; nothing to change." : $"{report.Changes.Count} change(s) {(dryRun ? "to make (dry run, nothing changed)" : "made")}.");
        return 0;
    }
}
