using Refit;

namespace Billing.Infrastructure.Lago;

/// <summary>Lago's API (under /api/v1), bodies wrapped in their root key as Lago expects.</summary>
public interface ILagoApi
{
    [Post("/api/v1/customers")]
    Task<IApiResponse> UpsertCustomerAsync([Body] LagoCustomerEnvelope body, CancellationToken cancellationToken);

    [Post("/api/v1/subscriptions")]
    Task<IApiResponse> UpsertSubscriptionAsync([Body] LagoSubscriptionEnvelope body, CancellationToken cancellationToken);

    [Delete("/api/v1/subscriptions/{externalId}")]
    Task<IApiResponse> TerminateSubscriptionAsync(string externalId, CancellationToken cancellationToken);

    [Get("/api/v1/customers")]
    Task<IApiResponse> ListCustomersAsync([AliasAs("per_page")] int perPage, CancellationToken cancellationToken);
}

public sealed record LagoCustomerEnvelope(LagoCustomer Customer);

public sealed record LagoCustomer(
    string ExternalId,
    string? Email,
    string? Name,
    LagoBillingConfiguration BillingConfiguration,
    IReadOnlyList<LagoMetadata> Metadata);

public sealed record LagoBillingConfiguration(string PaymentProvider, string ProviderCustomerId, bool Sync);

public sealed record LagoMetadata(string Key, string Value, bool DisplayInInvoice);

public sealed record LagoSubscriptionEnvelope(LagoSubscription Subscription);

public sealed record LagoSubscription(string ExternalCustomerId, string PlanCode, string ExternalId);
