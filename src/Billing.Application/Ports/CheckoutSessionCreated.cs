using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

public sealed record CheckoutSessionCreated(string SessionId, string Url, DateTimeOffset ExpiresAt);
