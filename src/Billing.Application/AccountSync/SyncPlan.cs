using System.Text.Json;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Revenue;
using Microsoft.Extensions.Options;

namespace Billing.Application.AccountSync;

/// <summary>One sync message an account change produces: for whom, when it is due, and the state it was written for.</summary>
public sealed record PlannedSync(SyncTarget Target, DateTimeOffset DueAt, string Payload);

/// <summary>What the store writes beside an account change, in the same transaction.</summary>
public sealed record AccountChangePlan(IReadOnlyList<PlannedSync> Messages, IReadOnlyList<RevenueMovement> RevenueMovements);

/// <summary>
/// The one place that says what each kind of <see cref="AccountEvent"/> sends where. The unit of work asks it for
/// every account a command changed and writes what it returns in the transaction that saves the change:
/// <list type="bullet">
/// <item>Keycloak, at once: the attributes that gate access across the platform (and again when a past-due
/// account's grace period ends, since access then drops with no event from Stripe);</item>
/// <item>Lago, at once, when Lago is configured: the customer and its subscription;</item>
/// <item>the revenue ledger: the movement itself.</item>
/// </list>
/// Each message carries the whole state, and the relay delivers the account as it is at delivery, so a newer
/// change supersedes older undelivered messages to the same target. E-mails are decided from Stripe's events
/// (<c>Webhooks/Process/EventNotifications</c>), since what a user is told depends on which event arrived.
/// </summary>
public sealed class SyncPlan(IUsageLedger ledger, IOptions<BillingOptions> options)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Where one kind of event goes; an event kind without a route is a programming error, found by a test.</summary>
    public static AccountEventDestinations RouteOf(AccountEvent happened) => happened switch
    {
        RevenueMoved => AccountEventDestinations.RevenueLedger,

        // Access may hang on a dispute; what Lago bills does not.
        DisputeOpened or DisputeResolved => AccountEventDestinations.IdentityDirectory,
        StripeCustomerLinked or StripeCustomerDeleted => AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger,
        SubscriptionActivated or SubscriptionTierChanged or SubscriptionPaymentFailed or SubscriptionSuspended or SubscriptionEnded
            or SubscriptionCancellationScheduled or SubscriptionCancellationLifted or SubscriptionTermsUpdated =>
            AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger,
        _ => throw new ArgumentOutOfRangeException(nameof(happened), happened.GetType().Name, "This kind of account event has no route in SyncPlan."),
    };

    public AccountChangePlan For(BillingAccount account, IReadOnlyList<AccountEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(events);
        var destinations = events.Aggregate(AccountEventDestinations.None, (all, e) => all | RouteOf(e));
        var movements = events.OfType<RevenueMoved>().Select(e => e.Movement).ToList();
        var messages = new List<PlannedSync>();
        if ((destinations & (AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger)) == 0)
        {
            return new AccountChangePlan(messages, movements);
        }

        var payload = Payload(account, now);
        if (destinations.HasFlag(AccountEventDestinations.IdentityDirectory))
        {
            messages.Add(new PlannedSync(SyncTarget.IdentityDirectory, now, payload));
            if (account.GraceEndsAt(options.Value.PastDueGracePeriod) is { } graceEnds)
            {
                messages.Add(new PlannedSync(SyncTarget.IdentityDirectory, graceEnds > now ? graceEnds : now, payload));
            }
        }

        if (destinations.HasFlag(AccountEventDestinations.UsageLedger) && ledger.Enabled)
        {
            messages.Add(new PlannedSync(SyncTarget.UsageLedger, now, payload));
        }

        return new AccountChangePlan(messages, movements);
    }

    /// <summary>The account's state again for one target, as reconciliation sends it to a target found out of step.</summary>
    public PlannedSync? Resend(BillingAccount account, SyncTarget target, DateTimeOffset now) =>
        target == SyncTarget.UsageLedger && !ledger.Enabled ? null : new PlannedSync(target, now, Payload(account, now));

    private string Payload(BillingAccount account, DateTimeOffset now) =>
        JsonSerializer.Serialize(AccountProjection.Of(account, now, options.Value), Json);
}
