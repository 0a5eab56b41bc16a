using Billing.Application.Admin.SyncFailures;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Admin.Accounts;

/// <summary>
/// An account as an admin sees it: its state, its outbox, and how its last deliveries went. An organization's account
/// is asked for by its key, <c>org:{organization_id}</c>, and names its organization.
/// </summary>
public sealed record GetAccount(string UserId) : IQuery<Result<AccountAdminView>>;

public sealed record AccountAdminView(
    string UserId,
    string Email,
    string? StripeCustomerId,
    long Version,
    DateTimeOffset? LastStripeEventAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    SubscriptionStatusView Subscription,
    IReadOnlyList<SyncMessageView> Outbox,
    IReadOnlyDictionary<string, SyncMessageView> LastSyncResults,
    IReadOnlyList<AccountHistoryView> History,
    IReadOnlyList<Billing.Application.Admin.Disputes.DisputeView> Disputes,
    string? OrganizationId = null);

public sealed record AccountHistoryView(DateTimeOffset OccurredAt, string Kind, string Detail);

public sealed class GetAccountHandler(IBillingAccountRepository accounts, ISyncOutbox outbox, IAccountHistory history, IDisputeBook disputes, TimeProvider clock, IOptions<BillingOptions> options)
    : IQueryHandler<GetAccount, Result<AccountAdminView>>
{
    public async ValueTask<Result<AccountAdminView>> Handle(GetAccount query, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(query.UserId, cancellationToken);
        if (account is null)
        {
            return Error.NotFound("account_not_found", $"No billing account for user {query.UserId}.");
        }

        var messages = (await outbox.ListAsync(null, query.UserId, 50, cancellationToken)).Select(SyncMessageView.Of).ToList();
        var last = messages
            .Where(m => m.Status is "delivered" or "parked" || m.LastError is not null)
            .GroupBy(m => m.Target)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.DeliveredAt ?? m.NextAttemptAt).First());
        return new AccountAdminView(
            account.UserId,
            account.Email,
            account.StripeCustomerId,
            account.Version,
            account.LastStripeEventAt,
            account.CreatedAt,
            account.UpdatedAt,
            SubscriptionStatusView.Of(account, clock.GetUtcNow(), options.Value),
            messages,
            last,
            (await history.ListAsync(account.UserId, 50, cancellationToken)).Select(e => new AccountHistoryView(e.OccurredAt, e.Kind, e.Detail)).ToList(),
            (await disputes.ForUserAsync(account.UserId, cancellationToken)).OrderByDescending(d => d.Created).Select(Billing.Application.Admin.Disputes.DisputeView.Of).ToList(),
            account.OrganizationId);
    }
}
