using Billing.Application.Common;
using Billing.Domain.Accounts;

namespace Billing.Application.Ports;

/// <summary>What happened to accounts, for admins; an entry is committed with the change that made it.</summary>
public interface IAccountHistory
{
    void Add(AccountHistoryEntry entry);

    Task<IReadOnlyList<AccountHistoryEntry>> ListAsync(string userId, int limit, CancellationToken cancellationToken);
}
