namespace Billing.Application.Accounts;

/// <summary>Why a subscription had to be read from Stripe rather than taken from an event (the tag of the reads metric).</summary>
public enum SubscriptionReadReason
{
    /// <summary>Two reports created in the same second say different things: only Stripe knows which is newer.</summary>
    SameSecond,

    /// <summary>The event was sent in another API version than the one this service parses: its object is not read.</summary>
    OtherApiVersion,

    /// <summary>The event names a discount whose terms the account does not hold (events carry only its id).</summary>
    DiscountUnknown,

    /// <summary>A completed checkout links the user to the subscription it started.</summary>
    Checkout,

    /// <summary>The reconciliation compares the account with Stripe itself.</summary>
    Reconciliation,

    /// <summary>A second live subscription appeared: the one the account holds is read to decide which one stays.</summary>
    Duplicate,
}
