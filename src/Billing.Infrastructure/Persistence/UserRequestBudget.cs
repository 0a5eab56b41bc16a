using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Fixed windows in the database, so every instance counts against the same budget: one read before a request,
/// one upsert (an increment) after a request that reached Stripe. Two racing requests may both pass the last
/// permit; the window stays within one request of its limit.
/// </summary>
internal sealed class UserRequestBudget(BillingContextFactory contexts, IOptions<RequestBudgetOptions> options, TimeProvider clock) : IUserRequestBudget
{
    public async Task<TimeSpan?> WaitBeforeAsync(string userId, CancellationToken cancellationToken)
    {
        var (start, end) = Window();
        await using var db = contexts.Create(worker: false);
        var used = await db.UserRequestWindows.AsNoTracking()
            .Where(w => w.UserId == userId && w.WindowStart == start)
            .Select(w => w.Count)
            .FirstOrDefaultAsync(cancellationToken);
        return used < options.Value.PermitLimit ? null : end - clock.GetUtcNow();
    }

    public async Task SpendAsync(string userId, CancellationToken cancellationToken)
    {
        var (start, _) = Window();
        await using var db = contexts.Create(worker: false);

        // Both providers understand this upsert; the window's row is created by the first request in it.
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO user_request_windows (user_id, window_start, count) VALUES ({0}, {1}, 1) ON CONFLICT (user_id, window_start) DO UPDATE SET count = user_request_windows.count + 1",
            [userId, start],
            cancellationToken);
    }

    private (long Start, DateTimeOffset End) Window()
    {
        var window = (long)options.Value.Window.TotalMilliseconds;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var start = now - (now % window);
        return (start, DateTimeOffset.FromUnixTimeMilliseconds(start + window));
    }
}
