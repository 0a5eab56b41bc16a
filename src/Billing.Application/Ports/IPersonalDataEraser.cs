using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>Removes a user's personal data from everything this service stored besides the account itself.</summary>
public interface IPersonalDataEraser
{
    /// <summary>Erases and commits at once; returns what it erased, in words an operator reads.</summary>
    Task<IReadOnlyList<string>> EraseAsync(string userId, string? stripeCustomerId, CancellationToken cancellationToken);
}
