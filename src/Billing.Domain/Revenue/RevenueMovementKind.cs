namespace Billing.Domain.Revenue;

/// <summary>How a change of a subscription moved recurring revenue, in the terms a revenue report uses.</summary>
public enum RevenueMovementKind
{
    /// <summary>A first paid subscription (straight away, or after a first payment that needed the customer).</summary>
    New,

    /// <summary>Paying again after a subscription had ended (or after a pause).</summary>
    Reactivation,

    /// <summary>Paying more per month: a higher tier, a longer cycle's effect, a discount ending.</summary>
    Expansion,

    /// <summary>Paying less per month: a lower tier, a new recurring discount.</summary>
    Contraction,

    /// <summary>A paying subscription ended (or was paused): its revenue is gone.</summary>
    Churn,

    TrialStarted,

    /// <summary>A free trial ended with the first payment: new revenue, and a conversion.</summary>
    TrialConverted,

    /// <summary>A free trial ended without paying.</summary>
    TrialEnded,

    /// <summary>A payment failed: the revenue is at risk while Stripe retries.</summary>
    PaymentFailed,

    /// <summary>A failing payment was collected after all.</summary>
    PaymentRecovered,
}
