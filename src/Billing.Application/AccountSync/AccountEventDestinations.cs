namespace Billing.Application.AccountSync;

/// <summary>Where an account event is sent: decided by <see cref="SyncPlan.RouteOf"/>.</summary>
[Flags]
public enum AccountEventDestinations
{
    None = 0,

    /// <summary>Keycloak: the attributes that gate access.</summary>
    IdentityDirectory = 1,

    /// <summary>Lago: the customer and its subscription.</summary>
    UsageLedger = 2,

    /// <summary>The revenue ledger (MRR and its movements).</summary>
    RevenueLedger = 4,

    /// <summary>An e-mail: to the user (payments, trial, cancellation, card) or to the operator (a dispute).</summary>
    Notification = 8,
}
