namespace Billing.Application.Ports;

/// <summary>
/// A webhook endpoint as the payment provider holds it: where it delivers, whether it is enabled, whether it sends
/// exactly the events this service handles (<see cref="MissingEvents"/>, <see cref="ExtraEvents"/>) in the API
/// version the service parses (<see cref="ApiVersion"/>, <see cref="SpeaksPinnedVersion"/>). <see cref="Secret"/>
/// (the signing secret) is known only in the answer that created it.
/// </summary>
public sealed record GatewayWebhookEndpoint(
    string Id,
    string Url,
    bool Enabled,
    string? ApiVersion,
    bool SpeaksPinnedVersion,
    IReadOnlyList<string> MissingEvents,
    IReadOnlyList<string> ExtraEvents,
    string? Secret = null)
{
    public bool SendsExactlyWhatIsHandled => MissingEvents.Count == 0 && ExtraEvents.Count == 0;
}
