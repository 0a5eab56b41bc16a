namespace Billing.Infrastructure.Configuration;

/// <summary><c>Billing:Reconcile</c>: how often every account is reconciled (at each multiple of the interval since the Unix epoch, UTC); zero turns it off.</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Billing:Reconcile";

    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    public bool IsValid => Interval >= TimeSpan.Zero;
}
