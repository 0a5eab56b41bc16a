using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Stripe's webhook endpoints (<c>/v1/webhook_endpoints</c>): the events are exactly <see cref="StripeEventTypes.Handled"/>
/// and the API version is the one Stripe.net speaks, fixed by Stripe when the endpoint is created. The signing
/// secret is in the creation answer only, and is handed back, never logged.
/// </summary>
internal sealed partial class StripePaymentGateway
{
    public string PinnedApiVersion => StripeConfiguration.ApiVersion;

    public Task<Result<IReadOnlyList<GatewayWebhookEndpoint>>> ListWebhookEndpointsAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayWebhookEndpoint>>("list webhook endpoints", async client =>
        {
            var all = new List<GatewayWebhookEndpoint>();
            await foreach (var endpoint in new WebhookEndpointService(client).ListAutoPagingAsync(new WebhookEndpointListOptions { Limit = 100 }, cancellationToken: cancellationToken))
            {
                all.Add(EndpointOf(endpoint));
            }

            return all;
        });

    public Task<Result<GatewayWebhookEndpoint>> CreateWebhookEndpointAsync(string url, CancellationToken cancellationToken) =>
        CallAsync("create webhook endpoint", async client => EndpointOf(await new WebhookEndpointService(client).CreateAsync(
            new WebhookEndpointCreateOptions
            {
                Url = url,
                EnabledEvents = [.. StripeEventTypes.Handled.Order(StringComparer.Ordinal)],
                ApiVersion = PinnedApiVersion,
                Description = "Billing service (webhooks setup)",
            },
            cancellationToken: cancellationToken)));

    public Task<Result<GatewayWebhookEndpoint>> UpdateWebhookEndpointAsync(string id, CancellationToken cancellationToken) =>
        CallAsync("update webhook endpoint", async client => EndpointOf(await new WebhookEndpointService(client).UpdateAsync(
            id,
            new WebhookEndpointUpdateOptions { EnabledEvents = [.. StripeEventTypes.Handled.Order(StringComparer.Ordinal)], Disabled = false },
            cancellationToken: cancellationToken)));

    private GatewayWebhookEndpoint EndpointOf(global::Stripe.WebhookEndpoint endpoint)
    {
        var enabled = endpoint.EnabledEvents?.ToHashSet(StringComparer.Ordinal) ?? [];
        var everything = enabled.Contains("*");
        return new GatewayWebhookEndpoint(
            endpoint.Id,
            endpoint.Url,
            endpoint.Status == "enabled",
            endpoint.ApiVersion,
            endpoint.ApiVersion == PinnedApiVersion,
            everything ? [] : StripeEventTypes.Handled.Where(t => !enabled.Contains(t)).Order(StringComparer.Ordinal).ToList(),
            everything ? ["*"] : enabled.Where(t => !StripeEventTypes.Handled.Contains(t)).Order(StringComparer.Ordinal).ToList(),
            endpoint.Secret);
    }
}
