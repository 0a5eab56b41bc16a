using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

public sealed record SavedPaymentMethod(string Id, string Brand, string Last4, int ExpiryMonth, int ExpiryYear, bool IsDefault);
