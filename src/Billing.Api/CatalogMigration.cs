using Billing.Application.Catalog.Migrate;
using Billing.Infrastructure;
using Mediator;

namespace Billing.Api;

/// <summary>
/// <c>catalog migrate --tier T --cycle C [--at renewal|now] [--dry-run]</c>: finds the live subscriptions of the plan
/// still on a superseded price and moves each to the current one, at its next renewal (the default: a schedule, so
/// the customer pays the old price until then) or now (prorated as configured). One subscription at a time, each in
/// its own unit of work with its history entry, at the pace the Stripe budget allows; an interrupted run is started
/// again and goes on with those not moved yet (the list is read from Stripe each time).
/// </summary>
public static class CatalogMigration
{
    public static async Task<int> RunAsync(WebApplication app, string[] options, string usage)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        string? tier = null, cycle = null, at = "renewal";
        var dryRun = false;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--tier" when i + 1 < options.Length:
                    tier = options[++i];
                    break;
                case "--cycle" when i + 1 < options.Length:
                    cycle = options[++i];
                    break;
                case "--at" when i + 1 < options.Length && options[i + 1] is "renewal" or "now":
                    at = options[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync(usage);
                    return 2;
            }
        }

        if (tier is null || cycle is null)
        {
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }

        await app.Services.PrepareDatabaseAsync();
        PriceMigrationPlan plan;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var found = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new FindSubscribersOnOldPrices(tier, cycle));
            if (!found.IsSuccess)
            {
                await Console.Error.WriteLineAsync($"catalog migrate failed: {found.Error!.Detail}");
                return 1;
            }

            plan = found.Value;
        }

        foreach (var candidate in plan.Candidates)
        {
            Console.WriteLine($"{(dryRun ? "would move" : "moving")} {candidate.SubscriptionId} ({candidate.AccountKey ?? "no account"}) from {candidate.OldPriceId} to {plan.CurrentPriceId} {(at == "now" ? "now" : $"at its renewal ({candidate.PeriodEnd:yyyy-MM-dd})")}");
        }

        if (dryRun || plan.Candidates.Count == 0)
        {
            Console.WriteLine(plan.Candidates.Count == 0
                ? $"Every live {plan.Plan} subscription is on the current price {plan.CurrentPriceId}; nothing to move."
                : $"{plan.Candidates.Count} subscription(s) of {plan.Plan} to move (dry run, nothing changed).");
            return 0;
        }

        var done = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var candidate in plan.Candidates)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var moved = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new MigrateSubscription(candidate.SubscriptionId, plan.CurrentPriceId, AtRenewal: at == "renewal"));
            if (!moved.IsSuccess)
            {
                await Console.Error.WriteLineAsync($"catalog migrate stopped at {candidate.SubscriptionId}: {moved.Error!.Detail} Run it again to go on; those moved stay moved.");
                return 1;
            }

            done[moved.Value.Outcome] = done.GetValueOrDefault(moved.Value.Outcome) + 1;
            Console.WriteLine($"{moved.Value.Outcome} {candidate.SubscriptionId}");
        }

        Console.WriteLine($"{plan.Plan}: {string.Join(", ", done.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Value} {d.Key}"))}.");
        return 0;
    }
}
