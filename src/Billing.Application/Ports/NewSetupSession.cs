using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>A Checkout Session in setup mode: the customer saves a card, nothing is charged.</summary>
public sealed record NewSetupSession(
    string CustomerId,
    string UserId,
    string Currency,
    string SuccessUrl,
    string CancelUrl,
    DateTimeOffset ExpiresAt,
    string IdempotencyKey);
