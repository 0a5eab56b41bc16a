namespace Billing.Domain.Plans;

public enum BillingCycle
{
    Monthly = 0,
    Yearly = 1,
}
