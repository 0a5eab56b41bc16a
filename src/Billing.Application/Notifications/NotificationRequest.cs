using Billing.Application.Common;
using System.Security.Cryptography;
using System.Text;

namespace Billing.Application.Notifications;

/// <summary>
/// One e-mail to send, as the outbox keeps it: who, what, and what it is about. Links and dates are read from the
/// account when it is sent, so the e-mail says what holds then, not what held when the event arrived.
/// </summary>
public sealed record NotificationRequest(
    NotificationKind Kind,
    string UserId,
    string Recipient,
    string Occasion,
    string? InvoiceId = null,
    string? SubscriptionId = null)
{
    /// <summary>
    /// The same notice for the same occasion (a Stripe event, or a subscription that ended) to the same address is
    /// sent once: the outbox refuses a second message with this key.
    /// </summary>
    public string DeduplicationKey => $"{Kind}:{Occasion}:{Hash(Recipient)}";

    // The key is stored and indexed; an address in it would be personal data in one more place.
    private static string Hash(string recipient) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.Trim().ToLowerInvariant())))[..32];
}
