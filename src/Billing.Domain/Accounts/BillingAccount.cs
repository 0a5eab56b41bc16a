using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;
using Billing.Domain.Revenue;

namespace Billing.Domain.Accounts;

/// <summary>
/// The billing state of one user (a Keycloak subject). Stripe is the source of truth for the subscription;
/// this aggregate decides which reports of it may be applied, so duplicates, reordering and late events
/// cannot move it backwards.
/// </summary>
public sealed partial class BillingAccount
{
    public const int MaxEmailLength = 320;

    private readonly List<AccountEvent> _events = [];

    private BillingAccount()
    {
        UserId = string.Empty;
        Email = string.Empty;
    }

    public string UserId { get; private set; }

    public string Email { get; private set; }

    public string? StripeCustomerId { get; private set; }

    public string? StripeSubscriptionId { get; private set; }

    public Tier Tier { get; private set; }

    public SubscriptionStatus Status { get; private set; }

    public BillingCycle? BillingCycle { get; private set; }

    public DateTimeOffset? CurrentPeriodStart { get; private set; }

    public DateTimeOffset? CurrentPeriodEnd { get; private set; }

    public bool CancelAtPeriodEnd { get; private set; }

    public long? AmountMinor { get; private set; }

    public string? Currency { get; private set; }

    /// <summary>
    /// The currency the customer is billed in, kept after a subscription ends: Stripe bills one customer's
    /// subscriptions in one currency, so a new checkout and a tier change stay in it.
    /// </summary>
    public string? BillingCurrency { get; private set; }

    /// <summary>A Stripe customer of this user that was deleted in Stripe: never linked again, its events change nothing.</summary>
    public string? DeletedStripeCustomerId { get; private set; }

    /// <summary>When this user first paid for a subscription (a later first payment is a reactivation, not new revenue).</summary>
    public DateTimeOffset? FirstPaidAt { get; private set; }

    /// <summary>The subscription's latest invoice total, tax included, in <see cref="Currency"/>.</summary>
    public long? LatestInvoiceTotal { get; private set; }

    /// <summary>The tax on the latest invoice (zero without Stripe Tax).</summary>
    public long? LatestInvoiceTax { get; private set; }

    /// <summary>The subscription's latest invoice (open or not): an invoice event about it updates <see cref="OpenInvoice"/> and the totals.</summary>
    public string? LatestInvoiceId { get; private set; }

    /// <summary>When the Stripe state this account reflects was observed; older reports are ignored.</summary>
    public DateTimeOffset? LastStripeEventAt { get; private set; }

    /// <summary>When the subscription first went past due in its current run of failed payments.</summary>
    public DateTimeOffset? PastDueSince { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The Checkout Session this user may still pay, so a second one is never opened beside it.</summary>
    public OpenCheckout? OpenCheckout { get; private set; }

    /// <summary>How many seats the subscription bills for (its quantity); null without a subscription, or when not known yet.</summary>
    public int? Seats { get; private set; }

    /// <summary>The Stripe subscription schedule that manages the subscription, as Stripe last reported it; null when none does.</summary>
    public string? StripeScheduleId { get; private set; }

    /// <summary>The Keycloak organization this account bills (see <see cref="AccountHolder"/>); null for a user's own account.</summary>
    public string? OrganizationId => AccountHolder.OrganizationOf(UserId);

    /// <summary>When the subscription's free trial ends (or ended); null when it has none.</summary>
    public DateTimeOffset? TrialEnd { get; private set; }

    /// <summary>The discount on the subscription (a coupon or promotion code), if any.</summary>
    public AppliedDiscount? Discount { get; private set; }

    /// <summary>What the subscription charges per cycle with its discount.</summary>
    public long? AmountAfterDiscount => AmountMinor is { } amount && Discount is { } discount ? discount.AmountAfter(amount) : AmountMinor;

    /// <summary>Since when a payment of this user is disputed (open, or lost); null when none is.</summary>
    public DateTimeOffset? DisputedSince { get; private set; }

    /// <summary>Records whether a dispute counts against this user now; access may depend on it, so it is a change.</summary>
    public bool MarkDisputed(bool disputed, DateTimeOffset now)
    {
        if (disputed == DisputedSince is not null)
        {
            return false;
        }

        DisputedSince = disputed ? now : null;
        Record(disputed ? new DisputeOpened(UserId, now) : new DisputeResolved(UserId, now));
        return true;
    }

    /// <summary>When the invoice book was filled from Stripe for this account (once; webhooks keep it after).</summary>
    public DateTimeOffset? InvoicesBackfilledAt { get; private set; }

    /// <summary>Bookkeeping only: nothing Keycloak or Lago see changes.</summary>
    public void MarkInvoicesBackfilled(DateTimeOffset at) => InvoicesBackfilledAt ??= at;

    /// <summary>
    /// What the subscription brings in per month, in minor units, tax excluded: a yearly price counts a twelfth, and a
    /// discount counts only while it recurs (forever, or repeating and not yet over); a one-time discount does not
    /// lower the run rate. Null without a subscription that bills.
    /// </summary>
    public decimal? MonthlyRecurringAmount(DateTimeOffset now) =>
        Status.IsLive() && RunRate.Annual(AmountMinor, BillingCycle, Discount, now) is { } yearly ? yearly / 12m : null;

    /// <summary>What happened to this account since it was loaded, in the order it happened; the store saves what they ask for with the change.</summary>
    public IReadOnlyList<AccountEvent> PendingEvents => _events.ToList();

    /// <summary>The store saved the change and what <see cref="PendingEvents"/> asked for.</summary>
    public void ClearPendingEvents() => _events.Clear();

    /// <summary>Whether this user ever had a free trial: a trial is given once per user.</summary>
    public bool FreeTrialUsed { get; private set; }

    /// <summary>The subscription's latest invoice while it is open: what the customer can still pay.</summary>
    public OpenInvoice? OpenInvoice { get; private set; }

    /// <summary>The invoice Stripe said awaits 3-D Secure; it matters while that invoice is <see cref="OpenInvoice"/>.</summary>
    public string? AuthenticationInvoiceId { get; private set; }

    /// <summary>
    /// The optimistic concurrency token: the store moves it on every save of the account, whatever changed, so of two
    /// writers of one account the second fails and its command runs again on the fresh state.
    /// </summary>
    public long Version { get; private set; }

    public static BillingAccount Open(string userId, string email, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new ArgumentException("A billing account needs the user's id.", nameof(userId));
        }

        return new BillingAccount
        {
            UserId = userId,
            Email = email ?? string.Empty,
            Tier = Tier.Trial,
            Status = SubscriptionStatus.None,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public bool HasLiveSubscription => StripeSubscriptionId is not null && Status.IsLive();

    /// <summary>
    /// Notes that Stripe asked the customer to authenticate this invoice. Bookkeeping for <see cref="PendingAction"/>:
    /// it changes nothing Keycloak or Lago see, so it records no event.
    /// </summary>
    public bool NoteAuthenticationRequired(string invoiceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        if (AuthenticationInvoiceId == invoiceId)
        {
            return false;
        }

        AuthenticationInvoiceId = invoiceId;
        return true;
    }

    /// <summary>
    /// The customer was deleted in Stripe (which cancels its subscriptions at once): the account lets go of it and of
    /// its subscription, so the user can check out again as a new customer. Returns false when it is not this
    /// account's customer.
    /// </summary>
    public bool ForgetDeletedCustomer(string customerId, DateTimeOffset observedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        if (StripeCustomerId != customerId)
        {
            return false;
        }

        var before = (Status, RunRate: RunRate.Annual(AmountMinor, BillingCycle, Discount, observedAt) ?? 0, Currency);
        var ended = Status.IsLive() ? SubscriptionStatus.Canceled : Status;
        if (RevenueMovement.Between(UserId, observedAt, before, (ended, 0, Currency), paidBefore: FirstPaidAt is not null) is { } movement)
        {
            Record(new RevenueMoved(UserId, observedAt, movement));
        }
        DeletedStripeCustomerId = customerId;
        StripeCustomerId = null;
        StripeSubscriptionId = null;
        Status = ended;
        Tier = Tier.Trial;
        BillingCycle = null;
        CancelAtPeriodEnd = false;
        AmountMinor = null;
        Currency = null;
        BillingCurrency = null;
        OpenCheckout = null;
        OpenInvoice = null;
        AuthenticationInvoiceId = null;
        TrialEnd = null;
        Discount = null;
        ScheduledChange = null;
        StripeScheduleId = null;
        PastDueSince = null;
        LatestInvoiceTotal = null;
        LatestInvoiceTax = null;
        Record(new StripeCustomerDeleted(UserId, observedAt, customerId));
        return true;
    }

    /// <summary>
    /// Forgets the user's e-mail address (a data subject's erasure). Bookkeeping only: Keycloak and Lago are not told
    /// (they keep their own copies), so it records no event.
    /// </summary>
    public bool ErasePersonalData()
    {
        if (Email.Length == 0)
        {
            return false;
        }

        Email = string.Empty;
        return true;
    }

    /// <summary>Links the one Stripe customer of this user. Linking a second, different customer is refused.</summary>
    public bool LinkStripeCustomer(string customerId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        if (StripeCustomerId == customerId)
        {
            return false;
        }

        if (StripeCustomerId is not null)
        {
            throw new InvalidOperationException("This account is already linked to another Stripe customer.");
        }

        StripeCustomerId = customerId;
        Record(new StripeCustomerLinked(UserId, now, customerId));
        return true;
    }

    /// <summary>
    /// Remembers the session just opened. Bookkeeping only: it changes nothing the rest of the platform sees, so it
    /// records no event (no sync message is written for it).
    /// </summary>
    public void RecordOpenCheckout(OpenCheckout checkout) => OpenCheckout = checkout ?? throw new ArgumentNullException(nameof(checkout));

    /// <summary>Forgets the open session once it completed or expired (any session when <paramref name="sessionId"/> is null).</summary>
    public bool ForgetCheckout(string? sessionId = null)
    {
        if (OpenCheckout is null || (sessionId is not null && OpenCheckout.SessionId != sessionId))
        {
            return false;
        }

        OpenCheckout = null;
        return true;
    }

    /// <summary>
    /// Applies what Stripe says about a subscription, observed at <paramref name="observedAt"/>.
    /// Returns false (and changes nothing) for a stale or irrelevant report.
    /// </summary>
    public bool ApplySubscription(SubscriptionSnapshot snapshot, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if ((StripeCustomerId is not null && snapshot.CustomerId != StripeCustomerId) || snapshot.CustomerId == DeletedStripeCustomerId)
        {
            return false;
        }

        var sameSubscription = snapshot.SubscriptionId == StripeSubscriptionId;
        if (sameSubscription && LastStripeEventAt is { } last && observedAt < last)
        {
            return false;
        }

        // Stripe never revives a canceled subscription, so a report saying otherwise is older than the one we hold.
        if (sameSubscription && Status.IsTerminal() && !snapshot.Status.IsTerminal())
        {
            return false;
        }

        // The end of some other subscription must not pull the user off the live one they hold now.
        if (!sameSubscription && HasLiveSubscription && !snapshot.Status.IsLive())
        {
            return false;
        }

        var next = NextOf(snapshot);
        var current = Held;
        if (LastStripeEventAt is null || observedAt > LastStripeEventAt)
        {
            LastStripeEventAt = observedAt;
        }

        SettleProcessingPayment(snapshot, observedAt);

        // Even a trial already over (or a report about to be ignored as unchanged) uses up the user's one trial.
        if (snapshot.TrialEnd is not null || snapshot.Status == SubscriptionStatus.Trialing)
        {
            FreeTrialUsed = true;
        }

        if (next == current)
        {
            return false;
        }

        var before = (Status, RunRate: RunRate.Annual(AmountMinor, BillingCycle, Discount, observedAt) ?? 0, Currency);
        var transition = new SubscriptionTransition(UserId, observedAt, snapshot.SubscriptionId, (Tier, BillingCycle, Status, CancelAtPeriodEnd, StripeSubscriptionId, Seats), (next.Tier, next.Cycle, next.Status, next.CancelAtPeriodEnd, next.CurrentPeriodEnd, next.Seats));
        StripeCustomerId = next.Customer;
        StripeSubscriptionId = next.Subscription;
        Status = next.Status;
        Tier = next.Tier;
        BillingCycle = next.Cycle;
        CurrentPeriodStart = next.CurrentPeriodStart;
        CurrentPeriodEnd = next.CurrentPeriodEnd;
        CancelAtPeriodEnd = next.CancelAtPeriodEnd;
        AmountMinor = next.Amount;
        Currency = next.Currency;
        OpenInvoice = next.OpenInvoice;
        TrialEnd = next.TrialEnd;
        Discount = next.Discount;
        LatestInvoiceTotal = next.InvoiceTotal;
        LatestInvoiceTax = next.InvoiceTax;
        LatestInvoiceId = next.LatestInvoiceId;
        Seats = next.Seats;
        SettleScheduledChange(snapshot);
        StripeScheduleId = next.ScheduleId;
        BillingCurrency = snapshot.Currency ?? BillingCurrency;
        var after = (Status, RunRate: RunRate.Annual(next.Amount, next.Cycle, next.Discount, observedAt) ?? 0, snapshot.Currency);
        foreach (var happened in transition.Events())
        {
            Record(happened);
        }

        if (RevenueMovement.Between(UserId, observedAt, before, after, paidBefore: FirstPaidAt is not null) is { } movement)
        {
            Record(new RevenueMoved(UserId, observedAt, movement));
        }

        if (Status == SubscriptionStatus.Active)
        {
            FirstPaidAt ??= observedAt;
        }

        if (next.Status == SubscriptionStatus.IncompleteExpired)
        {
            // The session that started it can no longer be paid; a new checkout must open a new one.
            OpenCheckout = null;
        }

        PastDueSince = next.Status == SubscriptionStatus.PastDue ? PastDueSince ?? observedAt : null;
        return true;
    }

    private void Record(AccountEvent happened)
    {
        UpdatedAt = happened.OccurredAt > UpdatedAt ? happened.OccurredAt : UpdatedAt;
        _events.Add(happened);
    }
}
