using Billing.Application.Usage.Record;

namespace Billing.Api.Contracts;

/// <summary>A batch of usage events.</summary>
/// <param name="Events">1 to 100 events: <c>transaction_id</c> (your unique id of the event), <c>user_id</c> (the Keycloak subject), <c>code</c> (a Lago billable metric), <c>timestamp</c> (optional, ISO 8601; now when absent) and flat <c>properties</c>.</param>
public sealed record UsageBatchRequest(IReadOnlyList<UsageEventInput>? Events);
