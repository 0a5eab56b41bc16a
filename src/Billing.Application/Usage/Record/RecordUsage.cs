using System.Text.Json.Nodes;
using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Usage;
using FluentValidation;
using Mediator;

namespace Billing.Application.Usage.Record;

/// <summary>
/// A batch of usage events from a trusted service, each accepted once by its transaction id and then delivered to
/// Lago in the background, bound to the user's live subscription. A repeat answers as accepted again; an event for
/// a user without a live subscription is refused on its own, the rest of the batch is kept.
/// </summary>
public sealed record RecordUsage(IReadOnlyList<UsageEventInput>? Events) : ICommand<Result<UsageReceipt>>;

/// <summary>One event as sent: <see cref="Properties"/> are what the Lago metric aggregates (flat: strings, numbers, booleans).</summary>
public sealed record UsageEventInput(string? TransactionId, string? UserId, string? Code, DateTimeOffset? Timestamp, JsonObject? Properties);

/// <summary>The answer for each event, in the order sent, and the counts.</summary>
public sealed record UsageReceipt(int Accepted, int Duplicates, int Rejected, IReadOnlyList<UsageEventResult> Events);

/// <summary><see cref="Status"/> is <c>accepted</c>, <c>duplicate</c> (accepted before: nothing more happens) or <c>rejected</c> with a code.</summary>
public sealed record UsageEventResult(string TransactionId, string Status, string? Code = null, string? Detail = null);

public sealed class RecordUsageValidator : AbstractValidator<RecordUsage>
{
    public const int MaxTransactionIdLength = 255;
    public const int MaxCodeLength = 255;
    public const int MaxPropertiesLength = 4096;

    /// <summary>How far ahead of the service's clock an event may be stamped (clocks drift; the future does not bill).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public RecordUsageValidator(TimeProvider clock)
    {
        RuleFor(x => x.Events)
            .NotNull().WithMessage("events is required.")
            .Must(e => e is { Count: > 0 and <= IUsageLedger.MaxEventsPerBatch }).WithMessage($"events must hold 1 to {IUsageLedger.MaxEventsPerBatch} events.")
            .OverridePropertyName("events");
        RuleForEach(x => x.Events).ChildRules(e =>
        {
            e.RuleFor(x => x.TransactionId)
                .NotEmpty().WithMessage("transaction_id is required.")
                .MaximumLength(MaxTransactionIdLength).WithMessage($"transaction_id must be at most {MaxTransactionIdLength} characters.")
                .Must(id => id is null || id.All(c => c is >= ' ' and <= '~')).WithMessage("transaction_id must be printable ASCII.")
                .OverridePropertyName("transaction_id");
            e.RuleFor(x => x.UserId)
                .NotEmpty().WithMessage("user_id is required.")
                .MaximumLength(128).WithMessage("user_id must be at most 128 characters.")
                .OverridePropertyName("user_id");
            e.RuleFor(x => x.Code)
                .NotEmpty().WithMessage("code is required.")
                .MaximumLength(MaxCodeLength).WithMessage($"code must be at most {MaxCodeLength} characters.")
                .OverridePropertyName("code");
            e.RuleFor(x => x.Timestamp)
                .Must(t => t is null || t <= clock.GetUtcNow() + MaxClockSkew).WithMessage("timestamp must not be in the future.")
                .Must(t => t is null || t >= new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)).WithMessage("timestamp is too far in the past.")
                .OverridePropertyName("timestamp");
            e.RuleFor(x => x.Properties)
                .Must(p => p is null || p.All(kv => kv.Value is JsonValue)).WithMessage("properties must be flat: strings, numbers or booleans.")
                .Must(p => p is null || p.ToJsonString().Length <= MaxPropertiesLength).WithMessage($"properties must be at most {MaxPropertiesLength} characters of JSON.")
                .OverridePropertyName("properties");
        }).OverridePropertyName("events");
    }
}

public sealed class RecordUsageHandler(IUsageLedger ledger, IBillingAccountRepository accounts, IUsageEventStore store, IUsageSignal signal, Organizations.MemberAccess access, BillingMetrics metrics, TimeProvider clock)
    : ICommandHandler<RecordUsage, Result<UsageReceipt>>
{
    public async ValueTask<Result<UsageReceipt>> Handle(RecordUsage command, CancellationToken cancellationToken)
    {
        // Accepting what could never be delivered would lose it later; say so now instead.
        if (!ledger.Enabled)
        {
            return new Error(ErrorKind.NotConfigured, "usage_ledger_not_configured", "Lago is not configured (LAGO_API_URL, LAGO_API_KEY); usage cannot be recorded.");
        }

        var now = clock.GetUtcNow();
        var events = command.Events!;
        var users = events.Select(e => e.UserId!).Distinct(StringComparer.Ordinal).ToList();
        var subscriptions = new Dictionary<string, string>(await accounts.LiveSubscriptionsAsync(users, cancellationToken), StringComparer.Ordinal);
        var teams = await TeamSubscriptionsAsync(users.Where(u => !subscriptions.ContainsKey(u)).ToList(), cancellationToken);
        if (!teams.IsSuccess)
        {
            // Whether a team pays could not be asked: the batch is refused whole, to be sent again, rather than rejected.
            return teams.Error!;
        }

        foreach (var (user, subscription) in teams.Value)
        {
            subscriptions[user] = subscription;
        }
        var results = new UsageEventResult?[events.Count];
        var toStore = new List<UsageEvent>(events.Count);
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var input = events[i];
            if (!subscriptions.TryGetValue(input.UserId!, out var subscriptionId))
            {
                results[i] = new UsageEventResult(input.TransactionId!, "rejected", "no_live_subscription", $"User {input.UserId} has no live subscription to bill usage on.");
                continue;
            }

            if (!firstIndex.TryAdd(input.TransactionId!, i))
            {
                results[i] = new UsageEventResult(input.TransactionId!, "duplicate");
                continue;
            }

            var properties = (input.Properties ?? []).ToJsonString();
            toStore.Add(new UsageEvent(input.TransactionId!, input.UserId!, subscriptionId, input.Code!, input.Timestamp ?? now, properties));
        }

        var stored = toStore.Count == 0 ? new HashSet<string>() : await store.AcceptAsync(toStore, now, cancellationToken);
        foreach (var e in toStore)
        {
            results[firstIndex[e.TransactionId]] = new UsageEventResult(e.TransactionId, stored.Contains(e.TransactionId) ? "accepted" : "duplicate");
        }

        if (stored.Count > 0)
        {
            metrics.UsageAccepted.Add(stored.Count);
            signal.Notify();
        }

        var answered = results.Select(r => r!).ToList();
        return new UsageReceipt(answered.Count(r => r.Status == "accepted"), answered.Count(r => r.Status == "duplicate"), answered.Count(r => r.Status == "rejected"), answered);
    }

    /// <summary>
    /// The subscriptions that bill users without one of their own: the organization their access comes from
    /// (see <see cref="Organizations.MemberAccess"/>; none where teams are not billed).
    /// </summary>
    private async Task<Result<IReadOnlyDictionary<string, string>>> TeamSubscriptionsAsync(IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            var state = await access.AccessOfAsync(user, cancellationToken);
            if (!state.IsSuccess)
            {
                return state.Error!;
            }

            if (state.Value.BillingOrganizationId is { } organization
                && await accounts.FindAsync(Domain.Accounts.AccountHolder.ForOrganization(organization), cancellationToken) is { HasLiveSubscription: true } team)
            {
                found[user] = team.StripeSubscriptionId!;
            }
        }

        return found;
    }
}
