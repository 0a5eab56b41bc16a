using System.Text.Json;
using Billing.Application.Common.Messaging;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Notifications.Deliver;
using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Adds e-mails to the outbox table in the caller's unit of work. The deduplication key is looked up first (and is
/// unique in the table besides), so a Stripe event processed twice never writes the same notice twice.
/// </summary>
internal sealed class NotificationQueue(BillingDbContext db, TimeProvider clock) : INotificationQueue
{
    public async Task<bool> EnqueueAsync(NotificationRequest request, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.DeduplicationKey;
        if (db.SyncMessages.Local.Any(m => m.DeduplicationKey == key) ||
            await db.SyncMessages.AnyAsync(m => m.DeduplicationKey == key, cancellationToken))
        {
            return false;
        }

        db.SyncMessages.Add(new SyncMessage
        {
            UserId = request.UserId,
            Target = SyncTarget.Notification,
            Payload = JsonSerializer.Serialize(request, DeliverNotificationHandler.Json),
            DeduplicationKey = key,
            CreatedAt = clock.GetUtcNow(),
            NextAttemptAt = dueAt,
        });
        return true;
    }
}
