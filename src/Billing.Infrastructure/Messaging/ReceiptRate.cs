namespace Billing.Infrastructure.Messaging;

/// <summary>
/// How fast this instance is receiving webhooks, over the last half second: while a burst lasts, processing gathers
/// each subscription's events into fewer units of work (<see cref="WorkerOptions.GatherAbove"/>), so receipt keeps
/// the cores it needs to answer Stripe.
/// </summary>
internal sealed class ReceiptRate(TimeProvider clock)
{
    private const int Slots = 5;
    private static readonly long SlotTicks = TimeSpan.FromMilliseconds(100).Ticks;
    private readonly Lock _lock = new();
    private readonly long[] _slotOf = new long[Slots];
    private readonly int[] _receipts = new int[Slots];

    /// <summary>Counts receipts just stored (duplicates too: each cost the webhook its work).</summary>
    public void Add(int receipts)
    {
        var slot = clock.GetUtcNow().UtcTicks / SlotTicks;
        lock (_lock)
        {
            var i = (int)(slot % Slots);
            if (_slotOf[i] != slot)
            {
                _slotOf[i] = slot;
                _receipts[i] = 0;
            }

            _receipts[i] += receipts;
        }
    }

    /// <summary>Receipts per second over the last half second (the current tenth of a second included).</summary>
    public double PerSecond
    {
        get
        {
            var slot = clock.GetUtcNow().UtcTicks / SlotTicks;
            var total = 0;
            lock (_lock)
            {
                for (var i = 0; i < Slots; i++)
                {
                    if (_slotOf[i] > slot - Slots)
                    {
                        total += _receipts[i];
                    }
                }
            }

            return total / (Slots * 0.1);
        }
    }
}
