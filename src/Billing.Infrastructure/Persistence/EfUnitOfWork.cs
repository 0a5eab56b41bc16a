using Billing.Application.Common.Ports;
using Billing.Domain.Plans;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Commits a command's changes in one transaction. An account changed when its <c>Version</c> moved (the
/// aggregate bumps it on every change it accepts); with it go the sync messages that <c>SyncPlan</c> decides,
/// so a change and what Keycloak and Lago hear of it are never apart. This class only persists them.
/// </summary>
internal sealed class EfUnitOfWork(BillingDbContext db, SyncMessageWriter syncMessages, IOutboxSignal signal, TimeProvider clock) : IUnitOfWork
{
    private const int MaxRebases = 3;

    public Task CommitAsync(CancellationToken cancellationToken) => CommitAsync(0, cancellationToken);

    private async Task CommitAsync(int rebases, CancellationToken cancellationToken)
    {
        var changed = db.ChangeTracker.Entries<BillingAccount>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && (long)e.OriginalValues[nameof(BillingAccount.Version)]! != e.Entity.Version))
            .Select(e => e.Entity)
            .ToList();
        if (changed.Count == 0)
        {
            // E-mails queued without an account change (a notice for a state already applied) still wake the relay.
            var queued = db.ChangeTracker.Entries<SyncMessage>().Any(e => e.State == EntityState.Added);
            await db.SaveChangesAsync(cancellationToken);
            if (queued)
            {
                signal.Notify();
            }

            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var messages = new List<SyncMessage>();
        var movements = new List<Billing.Domain.Revenue.RevenueMovement>();
        foreach (var account in changed)
        {
            messages.AddRange(await syncMessages.StageAsync(account, now, cancellationToken));
            movements.AddRange(account.UnsavedRevenueMovements);
        }

        db.RevenueMovements.AddRange(movements);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changed.ForEach(a => a.RevenueMovementsSaved());
            signal.Notify();
        }
        // An account's owned parts (its open checkout, open invoice, discount) are rows of the same table and may be
        // the entries reported; they belong to the account and are decided again with it.
        catch (DbUpdateConcurrencyException conflict) when (rebases < MaxRebases && conflict.Entries.All(e => e.Entity is BillingAccount || e.Metadata.IsOwned()))
        {
            // Another writer (a webhook, a replica) changed the account first: decide again against its state.
            await transaction.RollbackAsync(cancellationToken);
            foreach (var message in messages)
            {
                db.Entry(message).State = EntityState.Detached;
            }

            // Decided again below from the fresher state, which records its own movements.
            foreach (var movement in movements)
            {
                db.Entry(movement).State = EntityState.Detached;
            }

            var conflicting = conflict.Entries
                .Select(e => e.Entity as BillingAccount ?? db.ChangeTracker.Entries<BillingAccount>().Select(a => a.Entity).FirstOrDefault(a => OwnedBy(e, a)))
                .OfType<BillingAccount>()
                .Distinct()
                .ToList();
            foreach (var mine in conflicting)
            {
                foreach (var owned in db.ChangeTracker.Entries().Where(e => e.Metadata.IsOwned() && OwnedBy(e, mine)).ToList())
                {
                    owned.State = EntityState.Detached;
                }

                db.Entry(mine).State = EntityState.Detached;
                var fresher = await db.Accounts.FirstAsync(a => a.UserId == mine.UserId, cancellationToken);
                mine.RebaseOnto(fresher);
            }

            await CommitAsync(rebases + 1, cancellationToken);
        }
    }

    public void Discard() => db.ChangeTracker.Clear();

    private static bool OwnedBy(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry owned, BillingAccount account) =>
        owned.Metadata.IsOwned() && Equals(owned.Property(owned.Metadata.FindPrimaryKey()!.Properties[0].Name).CurrentValue, account.UserId);
}
