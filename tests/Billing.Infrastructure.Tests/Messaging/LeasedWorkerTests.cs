using System.Collections.Concurrent;
using Billing.Application.Common.Results;
using Billing.Infrastructure.Messaging;
using Billing.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Tests.Messaging;

/// <summary>
/// When the background loop shared by the inbox and the outbox asks the store for work: after an announcement, a
/// full claim or a lane that held news back, and otherwise only at its poll interval.
/// </summary>
public sealed class LeasedWorkerTests
{
    /// <summary>Long enough that anything a test sees within seconds came from a claim the loop chose to make.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    [Test]
    public async Task Work_announced_once_is_claimed_once_and_lanes_ending_without_news_claim_nothing_more()
    {
        using var signal = new WorkSignal();
        using var worker = new LaneQueue(signal, batchSize: 32);
        await worker.StartAsync(default);
        await worker.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        worker.Add("a:1", "b:1", "c:1");
        signal.Notify();
        await worker.WaitHandledAsync(3);
        await Task.Delay(300);

        Assert.That(worker.Claims, Is.EqualTo(2), "the claim at start (nothing yet) and the one the announcement asked for; three lanes ending added none");
        await worker.StopAsync(default);
    }

    [Test]
    public async Task A_lanes_items_received_at_the_same_instant_run_in_the_order_they_were_stored_not_the_order_claimed()
    {
        using var signal = new WorkSignal();
        using var worker = new LaneQueue(signal, batchSize: 32);
        await worker.StartAsync(default);
        await worker.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        worker.Add("a:3", "a:1", "b:2", "a:2", "b:1");
        signal.Notify();
        await worker.WaitHandledAsync(5);

        Assert.That(worker.Handled.Where(i => i.StartsWith("a:", StringComparison.Ordinal)), Is.EqualTo(new[] { "a:1", "a:2", "a:3" }));
        Assert.That(worker.Handled.Where(i => i.StartsWith("b:", StringComparison.Ordinal)), Is.EqualTo(new[] { "b:1", "b:2" }));
        await worker.StopAsync(default);
    }

    [Test]
    public async Task A_full_claim_is_followed_by_another_at_once()
    {
        using var signal = new WorkSignal();
        using var worker = new LaneQueue(signal, batchSize: 2);
        await worker.StartAsync(default);
        await worker.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        worker.Add("a:1", "b:1", "c:1", "d:1", "e:1");
        signal.Notify();
        await worker.WaitHandledAsync(5);

        Assert.That(worker.Claims, Is.EqualTo(4), "the start, then 2 + 2 + 1 without waiting for the poll");
        await worker.StopAsync(default);
    }

    [Test]
    public async Task News_held_back_behind_a_running_lane_is_claimed_when_the_lane_ends_not_at_the_next_poll()
    {
        using var signal = new WorkSignal();
        using var worker = new LaneQueue(signal, batchSize: 32);
        await worker.StartAsync(default);
        await worker.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var first = worker.Hold("a:1");

        worker.Add("a:1");
        signal.Notify();
        await worker.Handling("a:1").WaitAsync(TimeSpan.FromSeconds(10));
        worker.Add("a:2");
        signal.Notify();
        await worker.WaitClaimsAsync(3);
        first.SetResult();

        await worker.WaitHandledAsync(2);
        Assert.That(worker.Handled, Is.EqualTo(new[] { "a:1", "a:2" }));
        await worker.StopAsync(default);
    }

    [Test]
    public async Task While_gathering_a_burst_of_announcements_costs_a_few_claims_and_a_lanes_items_are_taken_together()
    {
        using var signal = new WorkSignal();
        using var worker = new LaneQueue(signal, batchSize: 32) { Gather = TimeSpan.FromMilliseconds(800) };
        await worker.StartAsync(default);
        await worker.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var claimsBefore = worker.Claims;

        for (var i = 1; i <= 20; i++)
        {
            worker.Add($"a:{i}");
            signal.Notify();
            await Task.Delay(10);
        }

        await worker.WaitHandledAsync(20);
        Assert.That(worker.Claims - claimsBefore, Is.LessThanOrEqualTo(8), "about one claim per quarter window, not one per announcement (20)");
        Assert.That(worker.ClaimOf.Values.Distinct().Count(), Is.EqualTo(1), "the lane's items arrived within the window and were claimed together");
        await worker.StopAsync(default);
    }

    [Test]
    public async Task While_gathering_work_announced_once_is_still_claimed_without_waiting_for_the_poll()
    {
        using var signal = new WorkSignal();
        using var worker = new LaneQueue(signal, batchSize: 32) { Gather = TimeSpan.FromMilliseconds(300) };
        await worker.StartAsync(default);
        await worker.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        worker.Add("a:1");
        signal.Notify();

        await worker.WaitHandledAsync(1);
        Assert.That(worker.Handled, Is.EqualTo(new[] { "a:1" }), "handled once its window passed; the poll is a minute away");
        await worker.StopAsync(default);
    }

    /// <summary>Items "lane:n"; a claim takes what is queued in lanes nobody holds, as the inbox's claim does.</summary>
    private sealed class LaneQueue(WorkSignal signal, int batchSize) : LeasedWorker<string>(
        new ServiceCollection().AddScoped<ScopeRole>().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
        signal,
        new Fixed(new WorkerOptions { BatchSize = batchSize, PollInterval = Poll, Parallelism = 8 }),
        "Test",
        TimeProvider.System,
        NullLogger.Instance)
    {
        private readonly object _gate = new();
        private readonly List<string> _queued = [];
        private readonly HashSet<string> _held = [];
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _handling = new();
        private readonly ConcurrentQueue<string> _handled = new();
        private readonly Dictionary<string, DateTimeOffset> _added = [];
        private int _claims;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Claims => Volatile.Read(ref _claims);

        /// <summary>The gather window the loop is given; items join a claim only once their lane's oldest waited it.</summary>
        public TimeSpan Gather { get; init; }

        /// <summary>Which claim took each item.</summary>
        public ConcurrentDictionary<string, int> ClaimOf { get; } = new();

        public IReadOnlyList<string> Handled => [.. _handled];

        public void Add(params string[] items)
        {
            lock (_gate)
            {
                _queued.AddRange(items);
                foreach (var item in items)
                {
                    _added[item] = DateTimeOffset.UtcNow;
                }
            }
        }

        public TaskCompletionSource Hold(string item) => _holds.GetOrAdd(item, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

        public Task Handling(string item) => _handling.GetOrAdd(item, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public async Task WaitHandledAsync(int count)
        {
            for (var i = 0; i < 500 && _handled.Count < count; i++)
            {
                await Task.Delay(20);
            }

            Assert.That(_handled, Has.Count.EqualTo(count), "handled within ten seconds");
        }

        public async Task WaitClaimsAsync(int count)
        {
            for (var i = 0; i < 500 && Claims < count; i++)
            {
                await Task.Delay(20);
            }

            Assert.That(Claims, Is.GreaterThanOrEqualTo(count));
        }

        protected override string ItemName => "test item";

        protected override string? LaneOf(string item) => item.Split(':')[0];

        protected override TimeSpan GatherWindow(WorkerOptions settings) => Gather;

        protected override Task<IReadOnlyList<string>> ClaimAsync(IServiceProvider services, WorkerOptions settings, TimeSpan gather, CancellationToken cancellationToken)
        {
            var claim = Interlocked.Increment(ref _claims);
            Started.TrySetResult();
            lock (_gate)
            {
                // As the inbox: a lane whose oldest item waited the window comes with all its items, however young.
                var ready = _queued.Where(i => !_held.Contains(LaneOf(i)!) && DateTimeOffset.UtcNow - _added[i] >= gather).Select(LaneOf).ToHashSet();
                var taken = _queued.Where(i => ready.Contains(LaneOf(i))).Take(settings.BatchSize).ToList();
                foreach (var item in taken)
                {
                    _queued.Remove(item);
                    _held.Add(LaneOf(item)!);
                    ClaimOf[item] = claim;
                }

                return Task.FromResult<IReadOnlyList<string>>(taken);
            }
        }

        protected override async Task<Result<string>> HandleAsync(IServiceProvider services, string item, CancellationToken cancellationToken)
        {
            _handling.GetOrAdd(item, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (_holds.TryGetValue(item, out var hold))
            {
                await hold.Task.WaitAsync(cancellationToken);
            }

            return "done";
        }

        protected override Task OnHandledAsync(IServiceProvider services, string item, CancellationToken cancellationToken)
        {
            _handled.Enqueue(item);
            lock (_gate)
            {
                _held.Remove(LaneOf(item)!);
            }

            return Task.CompletedTask;
        }

        protected override Task RenewLeasesAsync(IServiceProvider services, TimeSpan lease, CancellationToken cancellationToken) => Task.CompletedTask;

        protected override Task RecordFailureAsync(IServiceProvider services, string item, string error, DateTimeOffset? retryAt, bool countAttempt) => Task.CompletedTask;

        /// <summary>Every item was received at the same instant; the number after the lane is its place in the store.</summary>
        protected override (object Id, int Attempts, DateTimeOffset Since) Describe(string item) => (item, 0, DateTimeOffset.UnixEpoch);

        protected override long Tiebreak(string item) => long.Parse(item.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

        protected override void CountFailure()
        {
        }
    }

    private sealed class Fixed(WorkerOptions value) : IOptionsMonitor<WorkerOptions>
    {
        public WorkerOptions CurrentValue => value;

        public WorkerOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<WorkerOptions, string?> listener) => null;
    }
}
