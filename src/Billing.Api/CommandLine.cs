using Billing.Application.Catalog.Publish;
using Billing.Application.Identity.DeclareAttributes;
using Mediator;

namespace Billing.Api;

/// <summary>
/// The one-time setup commands, run by the same host as the service (same settings):
/// <c>catalog sync [--dry-run]</c> puts the plan catalog into Stripe; <c>keycloak setup [--dry-run]</c> declares
/// the billing attributes in the realm's user profile. Each prints what it changes; a second run changes nothing.
/// </summary>
public static class CommandLine
{
    private const string Usage = "usage: catalog sync [--dry-run] | keycloak setup [--dry-run]";

    public static bool IsCommand(string[] args) => args is ["catalog", ..] or ["keycloak", ..];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
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

    private static async Task<int> SetUpKeycloakAsync(ISender sender, bool dryRun)
    {
        var result = await sender.Send(new DeclareIdentityAttributes(dryRun));
        if (!result.IsSuccess)
        {
            await Console.Error.WriteLineAsync($"keycloak setup failed: {result.Error!.Detail}");
            return 1;
        }

        var report = result.Value;
        foreach (var name in report.Declared)
        {
            Console.WriteLine($"{(dryRun ? "would declare" : "declared")} user profile attribute {name} (view: admin, user; edit: admin; single-valued)");
        }

        Console.WriteLine(report.UpToDate ? "The realm's user profile already declares every billing attribute; nothing to change." : $"{report.Declared.Count} attribute(s) {(dryRun ? "to declare (dry run, nothing changed)" : "declared")}.");
        return 0;
    }
}
