using Billing.Application.Ports;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Keeps idempotency records in a context of its own, so they commit on their own schedule and never with (or
/// instead of) the changes of the command they guard.
/// </summary>
internal sealed class IdempotencyStore(BillingContextFactory contexts, TimeProvider clock) : IIdempotencyStore
{
    /// <summary>A claim unfinished for this long belongs to a request whose process died: it may be taken over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public async Task<IdempotencyClaim> ClaimAsync(string userId, string key, string operation, string requestHash, CancellationToken cancellationToken)
    {
        var stale = clock.GetUtcNow() - AbandonedAfter;
        await using (var cleanup = contexts.Create())
        {
            await cleanup.IdempotencyRecords
                .Where(r => r.UserId == userId && r.Key == key && r.CompletedAt == null && r.CreatedAt < stale)
                .ExecuteDeleteAsync(cancellationToken);
        }

        await using var db = contexts.Create();
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            UserId = userId,
            Key = key,
            Operation = operation,
            RequestHash = requestHash,
            CreatedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new IdempotencyClaim(IdempotencyOutcome.Started);
        }
        catch (DbUpdateException)
        {
            // The key is taken: decide from the record that holds it.
        }

        await using var read = contexts.Create();
        var existing = await read.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, cancellationToken);
        return existing switch
        {
            null => new IdempotencyClaim(IdempotencyOutcome.InProgress),
            _ when existing.Operation != operation || existing.RequestHash != requestHash => new IdempotencyClaim(IdempotencyOutcome.Mismatch),
            { CompletedAt: null } => new IdempotencyClaim(IdempotencyOutcome.InProgress),
            _ => new IdempotencyClaim(IdempotencyOutcome.Replay, existing.StatusCode, existing.ResponseBody),
        };
    }

    public async Task CompleteAsync(string userId, string key, int statusCode, string responseBody, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var now = clock.GetUtcNow();
        await db.IdempotencyRecords
            .Where(r => r.UserId == userId && r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusCode, statusCode).SetProperty(r => r.ResponseBody, responseBody).SetProperty(r => r.CompletedAt, now), cancellationToken);
    }

    public async Task ReleaseAsync(string userId, string key, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        await db.IdempotencyRecords.Where(r => r.UserId == userId && r.Key == key && r.CompletedAt == null).ExecuteDeleteAsync(cancellationToken);
    }
}
