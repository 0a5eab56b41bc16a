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

    /// <summary>Lago answers only an active subscription unless another status is asked for (404 otherwise).</summary>
    [Get("/api/v1/subscriptions/{externalId}")]
    Task<IApiResponse<JsonObject>> GetSubscriptionAsync(string externalId, CancellationToken cancellationToken);

    [Delete("/api/v1/subscriptions/{externalId}")]
    Task<IApiResponse> TerminateSubscriptionAsync(string externalId, CancellationToken cancellationToken);

    /// <summary>Up to 100 usage events; all or none are kept (a 422 names each refused event by its index).</summary>
    [Post("/api/v1/events/batch")]
    Task<IApiResponse<JsonObject>> CreateEventsBatchAsync([Body] JsonObject body, CancellationToken cancellationToken);

    [Get("/api/v1/customers")]
    Task<IApiResponse> ListCustomersAsync([AliasAs("per_page")] int perPage, CancellationToken cancellationToken);
}
