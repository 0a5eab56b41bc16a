using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Billing.Benchmarks;

internal sealed record LoadResult(string Name, int Requests, int Accepted, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double PerSecond => Accepted / Seconds;

    public string Row() => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {Requests} | {Accepted} | {PerSecond:F0} | {P50Ms:F2} | {P99Ms:F2} | {MaxMs:F1} |");
}

/// <summary>Bounded load on loopback: closed-loop (as fast as N workers go) or open-loop at a fixed rate.</summary>
internal static class Load
{
    public static async Task<LoadResult> ClosedLoopAsync(string name, int workers, TimeSpan duration, Func<HttpClient, Task<bool>> send, HttpClient http)
    {
        Progress(name);
        var latencies = new ConcurrentBag<double>();
        var accepted = 0;
        var requests = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await send(http);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref requests);
                if (ok)
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        })));
        return Summarize(name, requests, accepted, stop.Elapsed.TotalSeconds, latencies);
    }

    public static async Task<LoadResult> FixedRateAsync(string name, int perSecond, TimeSpan duration, Func<HttpClient, Task<bool>> send, HttpClient http)
    {
        Progress(name);
        var latencies = new ConcurrentBag<double>();
        var accepted = 0;
        var total = (int)(perSecond * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            inFlight.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                if (await send(http))
                {
                    Interlocked.Increment(ref accepted);
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }));
        }

        await Task.WhenAll(inFlight);
        return Summarize(name, total, accepted, clock.Elapsed.TotalSeconds, latencies);
    }

    /// <summary>When each run starts, so a profiler can be pointed at one of them.</summary>
    private static void Progress(string name) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {name}…");

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static LoadResult Summarize(string name, int requests, int accepted, double seconds, IEnumerable<double> latencies)
    {
        var sorted = latencies.OrderBy(l => l).ToList();
        return new LoadResult(name, requests, accepted, seconds, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Count == 0 ? double.NaN : sorted[^1]);
    }
}
