using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace BuildHooks.Bench;

/// <summary>
/// What the receiver saw, shared between the report phase (which stamps report times) and the
/// receiver (which stamps arrivals). Times are <see cref="Stopwatch"/> timestamps: monotonic and
/// comparable across threads, unlike wall-clock time.
/// </summary>
public sealed class DeliveryLog(int builds, int deliveriesPerBuild)
{
    private readonly long[] _reportedAt = new long[builds];
    private readonly long[] _latencies = new long[(long)builds * deliveriesPerBuild];
    private readonly long[] _arrivals = new long[(long)builds * deliveriesPerBuild];
    private readonly ConcurrentDictionary<string, byte> _webhookIds = new(concurrencyLevel: Environment.ProcessorCount, capacity: builds * deliveriesPerBuild);
    private int _latencyCount;
    private long _posts;
    private long _unique;
    private long _duplicates;
    private long _withoutId;
    private long _foreign;
    private long _lastReceipt;
    private byte[]? _sampleBody;

    public CommitSha Shas { get; } = new();

    /// <summary>Attempts at the hanging and failing hooks of an isolation run.</summary>
    public UnhealthyAttempts Unhealthy { get; } = new();

    /// <summary>Deliveries that count towards the expected total: one per webhook-id (or per POST when the id is missing).</summary>
    public long Received => Interlocked.Read(ref _unique) + Interlocked.Read(ref _withoutId);

    /// <summary>The first real delivery body, so that the ceiling flood sends exactly what the server sends.</summary>
    public byte[]? SampleBody => Volatile.Read(ref _sampleBody);

    public void MarkReported(long buildIndex) => Volatile.Write(ref _reportedAt[buildIndex], Stopwatch.GetTimestamp());

    public void KeepSample(ReadOnlySequence<byte> body)
    {
        if (Volatile.Read(ref _sampleBody) is null)
        {
            Interlocked.CompareExchange(ref _sampleBody, body.ToArray(), null);
        }
    }

    public void Record(string? webhookId, long buildIndex, long arrivedAt)
    {
        Interlocked.Increment(ref _posts);

        var reportedAt = ReportedAt(buildIndex);
        if (reportedAt == 0)
        {
            Interlocked.Increment(ref _foreign);
            return;
        }

        if (webhookId is null)
        {
            Interlocked.Increment(ref _withoutId);
        }
        else if (!_webhookIds.TryAdd(webhookId, 0))
        {
            // A retry of something already received: counted, but its latency is not the delivery's.
            Interlocked.Increment(ref _duplicates);
            return;
        }
        else
        {
            Interlocked.Increment(ref _unique);
        }

        UpdateMax(ref _lastReceipt, arrivedAt);
        var slot = Interlocked.Increment(ref _latencyCount) - 1;
        if (slot < _latencies.Length)
        {
            _latencies[slot] = arrivedAt - reportedAt;
            _arrivals[slot] = arrivedAt;
        }
    }

    /// <summary>Counts an attempt at a hook that is made to misbehave, if it is for one of this log's builds.</summary>
    public void RecordUnhealthy(HookBehaviour behaviour, string? webhookId, long buildIndex)
    {
        if (ReportedAt(buildIndex) != 0)
        {
            Unhealthy.Record(behaviour, webhookId);
        }
    }

    /// <returns>Whether <paramref name="expected"/> deliveries arrived before the timeout or <paramref name="giveUp"/>.</returns>
    public async Task<bool> WaitForAsync(long expected, TimeSpan timeout, Func<bool> giveUp, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var nextProgress = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (Received < expected)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= deadline || giveUp())
            {
                return false;
            }

            if (now >= nextProgress)
            {
                Console.Error.WriteLine($"  waiting: {Received:N0} of {expected:N0} deliveries received");
                nextProgress = now + Stopwatch.Frequency * 5;
            }

            await Task.Delay(20, ct);
        }

        return true;
    }

    public DeliverySnapshot Snapshot()
    {
        var count = Math.Min(Volatile.Read(ref _latencyCount), _latencies.Length);
        var latenciesMs = new double[count];
        for (var i = 0; i < count; i++)
        {
            latenciesMs[i] = _latencies[i] * 1000.0 / Stopwatch.Frequency;
        }

        Array.Sort(latenciesMs);
        return new DeliverySnapshot(
            Interlocked.Read(ref _posts),
            Interlocked.Read(ref _unique),
            Interlocked.Read(ref _duplicates),
            Interlocked.Read(ref _withoutId),
            Interlocked.Read(ref _foreign),
            Interlocked.Read(ref _lastReceipt),
            latenciesMs,
            Unhealthy.Counts());
    }

    /// <summary>
    /// Writes one line per delivery, <c>arrival_ms,latency_ms</c>, arrival counted from the first one. A p99 made
    /// of stalls shows as bursts of slow deliveries arriving together; a p99 of steady queueing does not.
    /// </summary>
    public void WriteTimeline(string path)
    {
        var count = Math.Min(Volatile.Read(ref _latencyCount), _latencies.Length);
        var order = Enumerable.Range(0, count).OrderBy(i => _arrivals[i]).ToArray();
        var first = count == 0 ? 0 : _arrivals[order[0]];
        var ms = 1000.0 / Stopwatch.Frequency;
        File.WriteAllLines(path, order
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"{(_arrivals[i] - first) * ms:F1},{_latencies[i] * ms:F2}"))
            .Prepend("arrival_ms,latency_ms"));
    }

    // Only this log's builds count: a late retry from the warm-up or an earlier run is not a delivery of this one.
    private long ReportedAt(long buildIndex) =>
        buildIndex >= 0 && buildIndex < _reportedAt.Length ? Volatile.Read(ref _reportedAt[buildIndex]) : 0;

    private static void UpdateMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
