namespace Billing.Domain.Accounts;

/// <summary>How a report of Stripe stands against what an account already reflects, by Stripe's clock.</summary>
public enum ReportAge
{
    /// <summary>Created after everything applied: it is the newest state.</summary>
    Newer,

    /// <summary>Created before something already applied: it says nothing new.</summary>
    Older,

    /// <summary>Created in the same second as what was applied: Stripe's clock cannot tell which came first.</summary>
    SameSecond,
}
