using Refit;

namespace Billing.Infrastructure.Lago;

public sealed record LagoCustomer(
    string ExternalId,
    string? Email,
    string? Name,
    LagoBillingConfiguration? BillingConfiguration,
    IReadOnlyList<LagoMetadata> Metadata);
