using Billing.Application.Ports;
using Billing.Domain.Accounts;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// Finds the account a Stripe notice concerns (the same tracked instance the event's processing changed) and lets
/// it record the notice; the account decides whether it still holds, and <c>AccountSync/SyncPlan</c> turns what it
/// recorded into an e-mail written in the same transaction.
/// </summary>
public sealed class AccountNotices(IBillingAccountRepository accounts)
{
    public const string Told = " The user will be told by e-mail.";

    /// <summary>Whether the account recorded the notice <paramref name="note"/> asks it for.</summary>
    public async Task<bool> TellAsync(string? customerId, string? userId, Func<BillingAccount, bool> note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        return await AccountOfAsync(customerId, userId, cancellationToken) is { } account && note(account);
    }

    /// <summary>The account of the event's Stripe customer, else of the user its metadata names; null when there is none yet.</summary>
    public async Task<BillingAccount?> AccountOfAsync(string? customerId, string? userId, CancellationToken cancellationToken) =>
        (customerId is null ? null : await accounts.FindByStripeCustomerAsync(customerId, cancellationToken)) ??
        (userId is null ? null : await accounts.FindAsync(userId, cancellationToken));
}
