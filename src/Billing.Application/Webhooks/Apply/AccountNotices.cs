using Billing.Application.Common;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// E-mails to the user that Stripe's events ask for, decided by each event's handler against the account as the event
/// left it (a payment that already went through, or a failure that needs 3-D Secure, sends nothing more), and queued
/// through the outbox in the same transaction.
/// </summary>
public sealed class AccountNotices(IBillingAccountRepository accounts, INotificationSender sender, INotificationQueue queue, TimeProvider clock, IOptions<BillingOptions> options)
{
    public const string Told = " The user will be told by e-mail.";

    /// <summary>Finds the account the event concerns (the same tracked instance processing changed) and queues the notice it decides.</summary>
    public async Task<bool> TellAsync(string? customerId, string? userId, Func<BillingAccount, Notice?> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        if (!sender.Enabled)
        {
            return false;
        }

        var account = (customerId is null ? null : await accounts.FindByStripeCustomerAsync(customerId, cancellationToken)) ??
            (userId is null ? null : await accounts.FindAsync(userId, cancellationToken));
        if (account is null || string.IsNullOrWhiteSpace(account.Email) || decide(account) is not { } notice)
        {
            return false;
        }

        var request = new NotificationRequest(notice.Kind, account.UserId, account.Email, notice.Occasion, notice.InvoiceId, account.StripeSubscriptionId);
        return await queue.EnqueueAsync(request, clock.GetUtcNow() + options.Value.NotificationDelay, cancellationToken);
    }

    /// <summary>Tells an operator's address (not the user's), once per occasion.</summary>
    public async Task<bool> TellOperatorAsync(string address, NotificationKind kind, string userId, string occasion, string? invoiceId, CancellationToken cancellationToken) =>
        sender.Enabled && await queue.EnqueueAsync(new NotificationRequest(kind, userId, address, occasion, invoiceId), clock.GetUtcNow(), cancellationToken);
}
