using System.Diagnostics.Metrics;
using Billing.Application.Common;

namespace Billing.Application.Tests.Webhooks;

/// <summary>Counts the subscription reads one <see cref="BillingMetrics"/> reports, by reason, while it lives.</summary>
public sealed class SubscriptionReadCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _byReason = new(StringComparer.Ordinal);

    public SubscriptionReadCounter(BillingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, metrics.StripeSubscriptionReads))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason" && tag.Value is string reason)
                {
                    lock (_byReason)
                    {
                        _byReason[reason] = _byReason.GetValueOrDefault(reason) + value;
                    }
                }
            }
        });
        _listener.Start();
    }

    public long Of(string reason)
    {
        lock (_byReason)
        {
            return _byReason.GetValueOrDefault(reason);
        }
    }

    public long Total
    {
        get
        {
            lock (_byReason)
            {
                return _byReason.Values.Sum();
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
