using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Persistence;

/// <summary>How long finished records are kept (section <c>Billing:Retention</c>).</summary>
public sealed class RetentionOptions
{
    /// <summary>Processed and ignored Stripe events: well past Stripe's 3 days of retries, so duplicates are still recognised.</summary>
    public TimeSpan StripeEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Delivered and superseded sync messages. Parked ones and failed events stay until an admin acts.</summary>
    public TimeSpan SyncMessages { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Idempotency records: clients retry within minutes, not days.</summary>
    public TimeSpan IdempotencyRecords { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
