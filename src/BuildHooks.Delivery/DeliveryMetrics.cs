using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BuildHooks.Core.Model;
using BuildHooks.Storage;
using BuildHooks.Storage.Queue;

namespace BuildHooks.Delivery;

/// <summary>
/// What this node recorded and sent, as .NET metrics on the meter <see cref="MeterName"/>; the server exports them
/// at <c>/metrics</c>. Counted once the database has the rows, so the figures agree with the delivery log.
/// Instruments are created once and kept: a measurement costs tens of nanoseconds on the hot path.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "BuildHooks";

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>A scrape reads both depth gauges; one query answers them, and repeats within this age are answered from it.</summary>
    private static readonly TimeSpan DepthMaxAge = TimeSpan.FromSeconds(5);

    private readonly Counter<long> _builds;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly Meter _meter;
    private readonly QueueDepth _depth;
    private readonly Lock _depthLock = new();
    private (long Pending, TimeSpan OldestDue, long? ReadAt) _lastDepth;

    public DeliveryMetrics(IMeterFactory meters, WriteGate gate, QueueDepth depth)
    {
        _depth = depth;
        _meter = meters.Create(MeterName);
        _builds = _meter.CreateCounter<long>("buildhooks.builds.recorded", "{build}", "Build reports recorded.");
        _deliveries = _meter.CreateCounter<long>("buildhooks.deliveries.created", "{delivery}", "Deliveries created for recorded builds, one per matching hook.");
        _attempts = _meter.CreateCounter<long>("buildhooks.attempts", "{attempt}",
            "Attempts written to the delivery log, by what they left the delivery as: succeeded, retrying (another attempt scheduled) or failed (given up).");
        _attemptDuration = _meter.CreateHistogram("buildhooks.attempt.duration", "s",
            "From sending an attempt's request to reading its response, or to giving up on it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        // Read from the database at scrape time: on a shared database every node reports the same figures (take the max, not the sum).
        _meter.CreateObservableGauge("buildhooks.deliveries.pending", () => Depth() is { } d ? [new Measurement<long>(d.Pending)] : Array.Empty<Measurement<long>>(), "{delivery}",
            "Deliveries waiting to be sent or being sent: due now, or waiting for a retry.");
        _meter.CreateObservableGauge("buildhooks.deliveries.oldest_due", () => Depth() is { } d ? [new Measurement<double>(d.OldestDue.TotalSeconds)] : Array.Empty<Measurement<double>>(), "s",
            "How long the longest-due pending delivery has been due: it rises when receivers or the nodes fall behind.");
        if (gate.IsSerial)
        {
            // The one SQLite writer: its busy share is how close this node is to the limit a bigger machine cannot lift.
            _meter.CreateObservableCounter("buildhooks.database.writer.busy_time", () => gate.BusyTime.TotalSeconds, "s",
                "Time the single SQLite writer was held by a write transaction.");
        }
    }

    /// <summary>Reports how many deliveries this node holds in memory (sending, or waiting for their hook's turn).</summary>
    public void ObserveInFlight(Func<int> inFlight) =>
        _meter.CreateObservableUpDownCounter("buildhooks.deliveries.in_flight", inFlight, "{delivery}",
            "Deliveries this node holds in memory: sending, or waiting for a slot of their hook.");

    public void Recorded(int builds, int deliveries)
    {
        _builds.Add(builds);
        _deliveries.Add(deliveries);
    }

    public void Attempted(IReadOnlyList<AttemptResult> written)
    {
        foreach (var result in written)
        {
            var outcome = new KeyValuePair<string, object?>("outcome", Outcome(result.NewStatus));
            _attempts.Add(1, outcome);
            _attemptDuration.Record(result.Attempt.DurationMs / 1000.0, outcome);
        }
    }

    /// <summary>A test delivery's one attempt (the Test button), written to the log as the dispatcher's are: it has no retry.</summary>
    public void Tested(bool succeeded, TimeSpan duration)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed");
        _attempts.Add(1, outcome);
        _attemptDuration.Record(duration.TotalSeconds, outcome);
    }

    /// <summary>The queue's depth, read at most every <see cref="DepthMaxAge"/>; null while the database cannot be read.</summary>
    private (long Pending, TimeSpan OldestDue)? Depth()
    {
        lock (_depthLock)
        {
            if (_lastDepth.ReadAt is not { } readAt || Stopwatch.GetElapsedTime(readAt) > DepthMaxAge)
            {
                try
                {
                    // Instrument callbacks are synchronous; a scrape every few seconds can wait for two index reads.
                    var (pending, oldestDue) = _depth.ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
                    _lastDepth = (pending, oldestDue, Stopwatch.GetTimestamp());
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
                {
                    // Left out of this scrape rather than failing it: the other figures still answer, and /healthz says why.
                    _lastDepth = default;
                    return null;
                }
            }

            return (_lastDepth.Pending, _lastDepth.OldestDue);
        }
    }

    /// <summary>What an attempt planned for its delivery (<see cref="Dispatching.OutcomePlanner"/>): done, another try, or given up.</summary>
    private static string Outcome(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Succeeded => "succeeded",
        DeliveryStatus.Pending => "retrying",
        _ => "failed",
    };
}
