using Billing.Application.Common;
using Billing.Domain.Revenue;

namespace Billing.Application.Ports;

/// <summary>The revenue movements recorded from Stripe's reports, read back for revenue reports.</summary>
public interface IRevenueLedger
{
    /// <summary>Movements in <paramref name="currency"/> that occurred at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<RevenueMovement>> SinceAsync(string currency, DateTimeOffset since, CancellationToken cancellationToken);
}
