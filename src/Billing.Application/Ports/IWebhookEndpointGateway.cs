using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>
/// The payment provider's webhook endpoints. The adapter knows which event types the service handles and which API
/// version it parses; neither crosses this port.
/// </summary>
public interface IWebhookEndpointGateway
{
    /// <summary>The API version events must be created in for the service to parse them.</summary>
    string PinnedApiVersion { get; }

    Task<Result<IReadOnlyList<GatewayWebhookEndpoint>>> ListWebhookEndpointsAsync(CancellationToken cancellationToken);

    /// <summary>Creates an endpoint sending exactly the handled events in the pinned version; its answer holds the secret.</summary>
    Task<Result<GatewayWebhookEndpoint>> CreateWebhookEndpointAsync(string url, CancellationToken cancellationToken);

    /// <summary>Sets the endpoint's events to exactly the handled ones and enables it (its API version cannot change).</summary>
    Task<Result<GatewayWebhookEndpoint>> UpdateWebhookEndpointAsync(string id, CancellationToken cancellationToken);
}
