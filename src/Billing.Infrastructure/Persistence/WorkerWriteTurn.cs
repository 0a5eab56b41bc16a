namespace Billing.Infrastructure.Persistence;

/// <summary>
/// On SQLite, this instance's background workers commit one at a time, handing the turn straight to the next.
/// SQLite lets one writer in at a time, and its busy handler makes the others sleep 1 to 100 ms however soon the lock
/// is free: with 32 lanes committing at once, the lock stood idle between them. Receipts and users' commands never
/// take the turn, so they meet at most one worker at SQLite's lock, not a queue of them (an earlier turn for every
/// writer made a webhook's answer wait behind the workers; decision 10).
/// </summary>
internal sealed class WorkerWriteTurn : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for the turn; disposing what it returns passes the turn on, on every path.</summary>
    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        return new Held(_turn);
    }

    public void Dispose() => _turn.Dispose();

    private sealed class Held(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
