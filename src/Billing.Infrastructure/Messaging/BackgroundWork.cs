namespace Billing.Infrastructure.Messaging;

/// <summary>
/// Marks the calls made by background work (the inbox, the outbox, reconciliation) down their whole async flow,
/// so shared limits can let a user's request go first.
/// </summary>
internal static class BackgroundWork
{
    private static readonly AsyncLocal<bool> Current = new();

    public static bool IsCurrent => Current.Value;

    /// <summary>From here on, in this flow and what it starts, calls are background work.</summary>
    public static void Enter() => Current.Value = true;
}
