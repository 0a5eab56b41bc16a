namespace Billing.Infrastructure.Persistence.Records;

/// <summary>
/// The one Stripe pace all instances on one PostgreSQL database share: when the next request slot is due, in
/// microseconds of the database's clock (one row, id 1). SQLite keeps the pace in memory (one instance).
/// </summary>
internal sealed class StripePaceRecord
{
    public int Id { get; init; }

    public long DueAtMicroseconds { get; set; }
}
