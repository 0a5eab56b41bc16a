using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

public sealed record CheckoutSessionCreated(string SessionId, string Url, DateTimeOffset ExpiresAt);
