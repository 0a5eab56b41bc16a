namespace Billing.Domain.Accounts;

/// <summary>Something that happened to an account that an admin should be able to read later, in billing terms.</summary>
public sealed class AccountHistoryEntry
{
    private AccountHistoryEntry()
    {
        UserId = string.Empty;
        Kind = string.Empty;
        Detail = string.Empty;
    }

    public long Id { get; private set; }

    public string UserId { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>A stable code: <c>duplicate_subscription_canceled</c>, …</summary>
    public string Kind { get; private set; }

    public string Detail { get; private set; }

    public static AccountHistoryEntry Record(string userId, DateTimeOffset occurredAt, string kind, string detail) => new()
    {
        UserId = userId ?? throw new ArgumentNullException(nameof(userId)),
        OccurredAt = occurredAt,
        Kind = kind ?? throw new ArgumentNullException(nameof(kind)),
        Detail = detail ?? string.Empty,
    };
}
