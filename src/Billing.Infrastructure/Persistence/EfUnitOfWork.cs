using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Commits a command's changes in one transaction. Every account saved moves its <c>Version</c>, the concurrency
/// token, whatever changed; with an account go the rows its recorded events ask for (<c>SyncPlan</c> decides
/// them), so a change and what Keycloak, Lago and the revenue ledger hear of it are never apart. When another
/// writer saved an account first, nothing is saved and <see cref="ConcurrentChangeException"/> tells the pipeline
/// to run the command again; this class only persists.
/// </summary>
internal sealed class EfUnitOfWork(
    BillingDbContext db, SyncMessageWriter syncMessages, StoreScrub scrub, IOutboxSignal signal, TimeProvider clock, ScopeRole role, WorkerWriteTurn workers) : IUnitOfWork
{
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        var saved = db.ChangeTracker.Entries<BillingAccount>()
            .Where(e => e.State == EntityState.Added || e.State == EntityState.Modified || e.Entity.PendingEvents.Count > 0 || OwnedPartChanged(e))
            .ToList();
        if (saved.Count == 0)
        {
            // Messages written without an account change (reconciliation sending a state again) still wake the relay.
            var queued = SendsSomething();
            await db.SaveChangesAsync(cancellationToken);
            await scrub.RunIfRequestedAsync(cancellationToken);
            if (queued)
            {
                signal.Notify();
            }

            return;
        }

        using var turn = role.Worker && db.Provider == DatabaseProvider.Sqlite ? await workers.TakeAsync(cancellationToken) : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var entry in saved)
        {
            if (entry.State != EntityState.Added)
            {
                var version = entry.Property(a => a.Version);
                version.CurrentValue = version.OriginalValue + 1;
            }

            await syncMessages.StageAsync(entry.Entity, entry.Entity.PendingEvents, now, cancellationToken);
        }

        // Only a change that sends something wakes the relay: a snapshot that changed nothing sends nothing.
        var sends = SendsSomething();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException conflict)
        {
            await transaction.RollbackAsync(cancellationToken);
            throw new ConcurrentChangeException("Another writer saved the account first; nothing of this command was saved.", conflict);
        }
        catch (DbUpdateException failure) when (NoticeRace.Lost(failure))
        {
            await transaction.RollbackAsync(cancellationToken);
            throw new ConcurrentChangeException("Another writer applied the same change and wrote its notice first; nothing of this command was saved.", failure);
        }

        saved.ForEach(e => e.Entity.ClearPendingEvents());
        await scrub.RunIfRequestedAsync(cancellationToken);
        if (sends)
        {
            signal.Notify();
        }
    }

    /// <summary>Whether the unit of work queues a message for the relay (read before saving, which clears the added state).</summary>
    private bool SendsSomething() => db.ChangeTracker.Entries<SyncMessage>().Any(e => e.State == EntityState.Added);

    public void Discard()
    {
        db.ChangeTracker.Clear();
        scrub.Cancel();
    }

    /// <summary>An account's owned parts (its open checkout, open invoice, discount) are rows of the same table, saved with it.</summary>
    private bool OwnedPartChanged(EntityEntry<BillingAccount> account) =>
        db.ChangeTracker.Entries().Any(e => e.Metadata.IsOwned() && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted &&
            Equals(e.Property(e.Metadata.FindPrimaryKey()!.Properties[0].Name).CurrentValue, account.Entity.UserId));
}
