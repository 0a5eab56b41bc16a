namespace Billing.Domain.Accounts;

/// <summary>How long a discount applies: to one invoice, for some months, or for as long as the subscription lasts.</summary>
public enum DiscountDuration
{
    Once,
    Repeating,
    Forever,
}
