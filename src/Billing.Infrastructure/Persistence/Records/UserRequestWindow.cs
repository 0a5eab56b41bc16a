namespace Billing.Infrastructure.Persistence.Records;

/// <summary>How many requests of one user reached Stripe in one fixed window; shared by every instance.</summary>
internal sealed class UserRequestWindow
{
    public required string UserId { get; init; }

    /// <summary>The window's start, in Unix milliseconds.</summary>
    public long WindowStart { get; init; }

    public int Count { get; set; }
}
