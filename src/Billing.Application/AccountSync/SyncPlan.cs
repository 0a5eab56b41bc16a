using System.Text.Json;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Application.Notifications;
using Billing.Domain.Plans;
using Billing.Domain.Revenue;
using Microsoft.Extensions.Options;

namespace Billing.Application.AccountSync;

/// <summary>
/// One sync message an account change produces: for whom, when it is due, and the state it was written for. An
/// e-mail has a <see cref="DeduplicationKey"/> (one per notice, occasion and address) and supersedes nothing.
/// </summary>
public sealed record PlannedSync(SyncTarget Target, DateTimeOffset DueAt, string Payload, string? DeduplicationKey = null);

/// <summary>What the store writes beside an account change, in the same transaction.</summary>
public sealed record AccountChangePlan(IReadOnlyList<PlannedSync> Messages, IReadOnlyList<RevenueMovement> RevenueMovements);

/// <summary>
/// The one place that says what each kind of <see cref="AccountEvent"/> sends where. The unit of work asks it for
/// every account a command changed and writes what it returns in the transaction that saves the change:
/// <list type="bullet">
/// <item>Keycloak, at once: the attributes that gate access across the platform (and again when a past-due
/// account's grace period ends, since access then drops with no event from Stripe);</item>
/// <item>Lago, at once, when Lago is configured: the customer and its subscription;</item>
/// <item>the revenue ledger: the movement itself;</item>
/// <item>e-mail, after <see cref="BillingOptions.NotificationDelay"/> and when a mail server is configured: the
/// user's notices (a failed payment, 3-D Secure, the trial ending, a new card, the subscription ending or ended) and
/// the operator's (a dispute filed), each once per occasion.</item>
/// </list>
/// Each Keycloak and Lago message carries the whole state, and the relay delivers the account as it is at delivery,
/// so a newer change supersedes older undelivered messages to the same target. An e-mail is its own notice: none
/// supersedes another, and the relay checks before sending that it still holds.
/// </summary>
public sealed class SyncPlan(IUsageLedger ledger, INotificationSender mail, IOptions<BillingOptions> options)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Where one kind of event goes; an event kind without a route is a programming error, found by a test.</summary>
    public static AccountEventDestinations RouteOf(AccountEvent happened) => happened switch
    {
        RevenueMoved => AccountEventDestinations.RevenueLedger,

        // Access may hang on a dispute; what Lago bills does not.
        DisputeOpened or DisputeResolved => AccountEventDestinations.IdentityDirectory,
        StripeCustomerLinked or StripeCustomerDeleted => AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger,
        SubscriptionEnded or SubscriptionCancellationScheduled =>
            AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger | AccountEventDestinations.Notification,
        // A first payment by bank debit on its way, or settled: the status (and access, and what Lago bills) follow it.
        FirstPaymentPending or FirstPaymentSucceeded => AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger,
        FirstPaymentFailed => AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger | AccountEventDestinations.Notification,
        SubscriptionActivated or SubscriptionTierChanged or SubscriptionPaymentFailed or SubscriptionSuspended
            or SubscriptionCancellationLifted or SubscriptionTermsUpdated or SubscriptionSeatsChanged =>
            AccountEventDestinations.IdentityDirectory | AccountEventDestinations.UsageLedger,

        // Notices: nothing Keycloak or Lago see changed.
        PaymentAttemptFailed or PaymentAuthenticationRequested or TrialEndingSoon or PaymentMethodReplaced or DisputeFiled =>
            AccountEventDestinations.Notification,
        // The plan, and so access and what Lago bills, stay what was paid for until Stripe moves the subscription;
        // the user is told what will change and when. A change lifted leaves everything as it was.
        SubscriptionChangeScheduled => AccountEventDestinations.Notification,
        ScheduledChangeLifted => AccountEventDestinations.None,
        _ => throw new ArgumentOutOfRangeException(nameof(happened), happened.GetType().Name, "This kind of account event has no route in SyncPlan."),
    };

    public AccountChangePlan For(BillingAccount account, IReadOnlyList<AccountEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(events);
        var destinations = events.Aggregate(AccountEventDestinations.None, (all, e) => all | RouteOf(e));
        var movements = events.OfType<RevenueMoved>().Select(e => e.Movement).ToList();
        var messages = new List<PlannedSync>();
        if (destinations.HasFlag(AccountEventDestinations.Notification) && mail.Enabled)
        {
            messages.AddRange(events.Where(e => RouteOf(e).HasFlag(AccountEventDestinations.Notification))
                .Select(e => NoticeOf(account, e))
                .OfType<NotificationRequest>()
                .Select(n => new PlannedSync(SyncTarget.Notification, now + options.Value.NotificationDelay, JsonSerializer.Serialize(n, Json), n.DeduplicationKey)));
        }

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

    /// <summary>The e-mail an event asks for, to whom, on which occasion; null when it asks for none or nobody can be told.</summary>
    private NotificationRequest? NoticeOf(BillingAccount account, AccountEvent happened) => happened switch
    {
        PaymentAttemptFailed failed => ToUser(account, NotificationKind.PaymentFailed, failed.Occasion, failed.InvoiceId),
        PaymentAuthenticationRequested asked => ToUser(account, NotificationKind.AuthenticationRequired, asked.Occasion, asked.InvoiceId),
        TrialEndingSoon trial => ToUser(account, NotificationKind.TrialEnding, trial.Occasion),
        PaymentMethodReplaced card => ToUser(account, NotificationKind.PaymentMethodUpdated, card.Occasion),

        // Told once per subscription; a first payment that expired was never a subscription the user had, nor was
        // one whose first debit failed (that notice told the user).
        FirstPaymentFailed failed => ToUser(account, NotificationKind.BankDebitFailed, $"debit-failed:{failed.SessionId}"),
        SubscriptionEnded { Status: SubscriptionStatus.Canceled } ended when !account.EndedByFailedDebit(ended.SubscriptionId) => ToUser(account, NotificationKind.SubscriptionCanceled, $"ended:{ended.SubscriptionId}"),

        // Once each time it is scheduled (scheduled, lifted and scheduled again is told twice).
        SubscriptionCancellationScheduled scheduled => ToUser(account, NotificationKind.SubscriptionEnding, $"ending:{scheduled.SubscriptionId}:{account.Version}"),
        // Once each time it is scheduled, like a cancellation.
        SubscriptionChangeScheduled scheduled => ToUser(account, NotificationKind.PlanChangeScheduled, $"plan-change:{scheduled.SubscriptionId}:{account.Version}"),
        DisputeFiled dispute when options.Value.Disputes.NotifyEmail is { Length: > 0 } operatorAddress =>
            new NotificationRequest(NotificationKind.DisputeOpened, account.UserId, operatorAddress, $"dispute:{dispute.DisputeId}", dispute.InvoiceId),
        _ => null,
    };

    private static NotificationRequest? ToUser(BillingAccount account, NotificationKind kind, string occasion, string? invoiceId = null) =>
        string.IsNullOrWhiteSpace(account.Email) ? null : new NotificationRequest(kind, account.UserId, account.Email, occasion, invoiceId, account.StripeSubscriptionId);

    private string Payload(BillingAccount account, DateTimeOffset now) =>
        JsonSerializer.Serialize(AccountProjection.Of(account, now, options.Value), Json);
}
