namespace Billing.Infrastructure.Messaging;

/// <summary>A wake-up call for a worker; many calls before it wakes count as one.</summary>
internal class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private long _notifications;

    /// <summary>How many times work was announced so far: a worker compares it to tell whether anything arrived since.</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    public void Notify()
    {
        Interlocked.Increment(ref _notifications);
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up covers all the work that arrived.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();

    /// <summary>A name for a worker that is unique across instances: host, process and a random part.</summary>
    public static string WorkerName()
    {
        var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length <= 120 ? name : name[^120..];
    }
}
