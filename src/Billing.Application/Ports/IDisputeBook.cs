using Billing.Application.Common;
using Billing.Domain.Disputes;

namespace Billing.Application.Ports;

/// <summary>The disputes this service keeps from Stripe's webhooks; changes commit with the unit of work.</summary>
public interface IDisputeBook
{
    Task<PaymentDispute?> FindAsync(string disputeId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PaymentDispute>> ForUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="open"/> null lists all.</summary>
    Task<IReadOnlyList<PaymentDispute>> ListAsync(bool? open, int limit, CancellationToken cancellationToken);

    void Add(PaymentDispute dispute);
}
