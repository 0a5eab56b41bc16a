using Billing.Infrastructure.Configuration;
using Npgsql;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// The Stripe pace of every instance on one PostgreSQL database (GCRA, as <see cref="StripeRequestBudget"/> keeps it
/// in memory): one row says when the next slot is due, by the database's clock, and a slot is taken by one atomic
/// statement, so three instances together never exceed the budget in any second and one instance alone gets all of it.
/// </summary>
internal sealed class SharedStripePace(DatabaseOptions database) : IAsyncDisposable
{
    // The slot due now: the schedule if it is at most one interval behind (a late wake-up keeps its place), else now
    // (idle time saves nothing up). It is taken when it is no further ahead than the caller may go; either way the
    // answer says how long until it is due for this caller.
    private const string TakeSlot = """
        WITH cur AS (
            SELECT due_at_us, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now_us
            FROM stripe_pace WHERE id = 1 FOR UPDATE),
        slot AS (
            SELECT CASE WHEN due_at_us >= now_us - @interval THEN due_at_us ELSE now_us END AS due_us, now_us FROM cur),
        taken AS (
            UPDATE stripe_pace SET due_at_us = slot.due_us + @interval
            FROM slot WHERE stripe_pace.id = 1 AND slot.due_us - slot.now_us <= @ahead
            RETURNING 1)
        SELECT slot.due_us - slot.now_us - @ahead, EXISTS (SELECT 1 FROM taken) FROM slot
        """;

    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(database.ConnectionString));

    /// <summary>Takes a slot and returns null, or returns how long until one is due for this caller.</summary>
    public async Task<TimeSpan?> TryTakeAsync(double rate, double userReserve, bool background, CancellationToken cancellationToken)
    {
        var interval = (long)(1_000_000 / rate);
        await using var command = _source.Value.CreateCommand(TakeSlot);
        command.Parameters.AddWithValue("interval", interval);
        command.Parameters.AddWithValue("ahead", background ? 0L : (long)(userReserve * interval));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The stripe_pace row is missing: the database was not migrated.");
        }

        return reader.GetBoolean(1) ? null : TimeSpan.FromMicroseconds(Math.Max(1, reader.GetInt64(0)));
    }

    public ValueTask DisposeAsync() => _source.IsValueCreated ? _source.Value.DisposeAsync() : ValueTask.CompletedTask;
}
