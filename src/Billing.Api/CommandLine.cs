using Billing.Application.Admin.Reconcile;
using Billing.Application.Catalog.Publish;
using Billing.Application.Identity.DeclareAttributes;
using Billing.Infrastructure;
using Mediator;

namespace Billing.Api;

/// <summary>
/// The one-time setup commands, run by the same host as the service (same settings):
/// <c>catalog sync [--dry-run]</c> puts the plan catalog into Stripe; <c>keycloak setup [--dry-run]</c> declares
/// the billing attributes in the realm's user profile; <c>reconcile [--dry-run] [--user ID]</c> compares Stripe, the
/// store, Keycloak and Lago and repairs what differs. Each prints what it changes; a second run changes nothing.
/// </summary>
public static class CommandLine
{
    private const string Usage = "usage: catalog sync [--dry-run] | keycloak setup [--dry-run] | reconcile [--dry-run] [--user ID]";

    public static bool IsCommand(string[] args) => args is ["catalog", ..] or ["keycloak", ..] or ["reconcile", ..];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["reconcile", .. var rest])
        {
            return await ReconcileAsync(app, rest);
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
}
