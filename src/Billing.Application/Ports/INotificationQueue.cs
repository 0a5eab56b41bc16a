using Billing.Application.Common;
using Billing.Application.Notifications;

namespace Billing.Application.Ports;

/// <summary>Puts e-mails in the outbox, in the caller's transaction, once per deduplication key.</summary>
public interface INotificationQueue
{
    /// <summary>False when the same notice for the same occasion and address is already in the outbox.</summary>
    Task<bool> EnqueueAsync(NotificationRequest request, DateTimeOffset dueAt, CancellationToken cancellationToken);
}
