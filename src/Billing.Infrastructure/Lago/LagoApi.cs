using System.Text.Json.Nodes;
using Refit;

namespace Billing.Infrastructure.Lago;

/// <summary>Lago's API (under /api/v1), bodies wrapped in their root key as Lago expects.</summary>
public interface ILagoApi
{
    [Post("/api/v1/customers")]
    Task<IApiResponse> UpsertCustomerAsync([Body] LagoCustomerEnvelope body, CancellationToken cancellationToken);

    [Get("/api/v1/customers/{externalId}")]
    Task<IApiResponse<JsonObject>> GetCustomerAsync(string externalId, CancellationToken cancellationToken);

    [Post("/api/v1/subscriptions")]
    Task<IApiResponse<JsonObject>> UpsertSubscriptionAsync([Body] LagoSubscriptionEnvelope body, CancellationToken cancellationToken);

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
    LagoBillingConfiguration? BillingConfiguration,
    IReadOnlyList<LagoMetadata> Metadata);

/// <summary>Sent only when the Lago customer has no Stripe link yet: every later upsert carrying it makes Lago overwrite the Stripe customer.</summary>
public sealed record LagoBillingConfiguration(string PaymentProvider, string ProviderCustomerId, bool Sync, string? PaymentProviderCode);

/// <summary>A metadata item; <see cref="Id"/> is the row's lago_id when it exists, since Lago matches by id and replaces all.</summary>
public sealed record LagoMetadata(string Key, string Value, bool DisplayInInvoice, string? Id = null);

public sealed record LagoSubscriptionEnvelope(LagoSubscription Subscription);

public sealed record LagoSubscription(string ExternalCustomerId, string PlanCode, string ExternalId);
