namespace Billing.Application.Common.Limits;

/// <summary>How many Stripe requests the current scope made: the payment adapter counts, the budget reads it.</summary>
public sealed class StripeCallCounter
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Count() => Interlocked.Increment(ref _calls);
}
