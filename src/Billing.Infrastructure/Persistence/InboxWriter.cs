using System.Threading.Channels;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Group commit for webhook receipt: events arriving together are inserted in one transaction, so each webhook
/// still answers only after its event is durably stored, but concurrent deliveries share one disk flush (and,
/// on SQLite, one turn of the single write lock) instead of queueing for one each.
/// </summary>
internal sealed class InboxWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BillingContextFactory _contexts;
    private readonly Task _loop;

    private readonly Messaging.ReceiptRate _rate;

    public InboxWriter(BillingContextFactory contexts, Messaging.ReceiptRate rate)
    {
        _contexts = contexts;
        _rate = rate;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Stores the event unless its id is already stored; true when this call stored it.</summary>
    public Task<bool> AddAsync(StripeEventRecord record, CancellationToken cancellationToken)
    {
        var pending = new Pending(record, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The inbox writer has stopped.");
        }

        // The caller may stop waiting; the write itself goes on, so an event is never half-accepted.
        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var stored = await WriteAsync(batch);
                _rate.Add(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Stored.TrySetResult(stored[i]);
                }
            }
            catch (Exception e)
            {
                // Nothing of the batch was committed: every webhook in it answers 500 and Stripe delivers it again.
                foreach (var pending in batch)
                {
                    pending.Stored.TrySetException(e);
                }
            }
        }
    }

    /// <summary>
    /// Commits the batch, retrying a deadlock or serialization failure (another instance's batch held a row this one
    /// needed); only a failure that persists answers the webhooks 500.
    /// </summary>
    private async Task<bool[]> WriteAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(batch);
            }
            catch (Exception e) when (attempt < MaxWriteAttempts && IsContention(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 5)));
            }
        }
    }

    private static bool IsContention(Exception e) =>
        (e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException)?.SqlState is "40P01" or "40001";

    /// <summary>
    /// One statement for the whole batch: a multi-row INSERT that skips stored ids and returns the new ones, so a
    /// batch costs the store one round trip and one commit however many webhooks share it.
    /// </summary>
    private async Task<bool[]> WriteOnceAsync(List<Pending> batch)
    {
        await using var db = _contexts.Create();

        // In the order of the event ids, so two instances inserting the same events lock them in the same order
        // and cannot deadlock on each other.
        var order = Enumerable.Range(0, batch.Count).OrderBy(i => batch[i].Record.Id, StringComparer.Ordinal).ToList();
        var rows = order.Select(i => batch[i].Record).Select(record => new object?[]
        {
            record.Id, record.Type, record.ApiVersion, record.CreatedAt.ToUnixTimeMilliseconds(), record.ReceivedAt.ToUnixTimeMilliseconds(),
            record.Payload, record.Status.ToString(), 0, record.NextAttemptAt.ToUnixTimeMilliseconds(),
            record.ProcessedAt?.ToUnixTimeMilliseconds(), record.Outcome, record.OrderingKey,
        }).ToList();
        var inserted = new HashSet<string>(await Sql.InsertNewAsync(db, "stripe_events", Columns, rows, "id", CancellationToken.None), StringComparer.Ordinal);

        // The same event twice in one batch is stored once: the first of them in id order is the one that stored it.
        var stored = new bool[batch.Count];
        foreach (var i in order)
        {
            stored[i] = inserted.Remove(batch[i].Record.Id);
        }

        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private const int MaxWriteAttempts = 4;

    private static readonly string[] Columns = ["id", "type", "api_version", "created_at", "received_at", "payload", "status", "attempts", "next_attempt_at", "processed_at", "outcome", "ordering_key"];

    private sealed record Pending(StripeEventRecord Record, TaskCompletionSource<bool> Stored);
}
