namespace Billing.Domain.Plans;

/// <summary>The subscription tiers a user can hold. Trial is also where an account falls back to when its subscription ends.</summary>
public enum Tier
{
    Trial = 0,
    Starter = 1,
    Professional = 2,
    Enterprise = 3,
}
