namespace Billing.Domain.Accounts;

/// <summary>What became of a subscription's state reported by one of Stripe's events.</summary>
public enum ReportOutcome
{
    /// <summary>It was newer and the account now reflects it.</summary>
    Applied,

    /// <summary>It was the state the account already reflects.</summary>
    Unchanged,

    /// <summary>It was created before what the account reflects; it changed nothing.</summary>
    Older,

    /// <summary>
    /// It was created in the same second as what the account reflects and says something else: only Stripe can tell
    /// which is the newer, so the subscription must be read.
    /// </summary>
    Undecided,
}
