using System.Text.Json;
using Billing.Application.Common;
using Billing.Application.Common.Accounts;
using Billing.Application.Common.Messaging;
using Billing.Application.Common.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;

namespace Billing.Application.AccountSync;

/// <summary>One sync message an account change produces: for whom, when it is due, and the state it was written for.</summary>
public sealed record PlannedSync(SyncTarget Target, DateTimeOffset DueAt, string Payload);

/// <summary>
/// Where it is decided what Keycloak and Lago hear of an account change. Every change of an account (a webhook
/// applied, a tier changed, a customer linked) is committed together with the messages this plan returns:
/// <list type="bullet">
/// <item>Keycloak, at once: the attributes that gate access across the platform;</item>
/// <item>Lago, at once, when Lago is configured: the customer and its subscription;</item>
/// <item>Keycloak again when a past-due account's grace period ends, since access then drops with no event
/// from Stripe.</item>
/// </list>
/// Each message carries the whole state, and the relay delivers the account as it is at delivery, so a newer
/// change supersedes older undelivered messages.
/// </summary>
public sealed class SyncPlan(IUsageLedger ledger, IOptions<BillingOptions> options)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public IReadOnlyList<PlannedSync> For(BillingAccount account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        var grace = options.Value.PastDueGracePeriod;
        var payload = JsonSerializer.Serialize(AccountProjection.Of(account, now, options.Value), Json);
        var plan = new List<PlannedSync> { new(SyncTarget.IdentityDirectory, now, payload) };
        if (ledger.Enabled)
        {
            plan.Add(new PlannedSync(SyncTarget.UsageLedger, now, payload));
        }

        if (account.GraceEndsAt(grace) is { } graceEnds)
        {
            plan.Add(new PlannedSync(SyncTarget.IdentityDirectory, graceEnds > now ? graceEnds : now, payload));
        }

        return plan;
    }
}
