using Billing.Application.Catalog.Sync;
using Mediator;

namespace Billing.Api;

/// <summary><c>catalog sync [--dry-run]</c>: puts the configured plan catalog into Stripe, printing each change.</summary>
public static class CatalogCommand
{
    public static bool IsCatalogCommand(string[] args) => args is ["catalog", ..];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (args is not ["catalog", "sync", .. var options] || options.Any(o => o != "--dry-run"))
        {
            await Console.Error.WriteLineAsync("usage: catalog sync [--dry-run]");
            return 2;
        }

        var dryRun = options.Contains("--dry-run");
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SyncCatalog(dryRun));
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
}
