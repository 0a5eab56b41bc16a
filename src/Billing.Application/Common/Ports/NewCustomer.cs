using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

public sealed record NewCustomer(string UserId, string Email, string IdempotencyKey);
