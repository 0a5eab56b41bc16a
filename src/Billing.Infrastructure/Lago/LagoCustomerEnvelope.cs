using Refit;

namespace Billing.Infrastructure.Lago;

public sealed record LagoCustomerEnvelope(LagoCustomer Customer);
