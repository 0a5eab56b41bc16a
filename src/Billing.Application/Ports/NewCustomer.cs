using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

public sealed record NewCustomer(string UserId, string Email, string IdempotencyKey);
