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
