using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>Counts each user's requests that reached Stripe in fixed windows, across every instance of the service.</summary>
public interface IUserRequestBudget
{
    /// <summary>How long the user must wait before calling Stripe again; null while they have budget left.</summary>
    Task<TimeSpan?> WaitBeforeAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Records one request of the user that reached Stripe.</summary>
    Task SpendAsync(string userId, CancellationToken cancellationToken);
}
