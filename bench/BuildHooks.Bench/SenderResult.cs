using System.Diagnostics;

namespace BuildHooks.Bench;

/// <summary>One sender's measured run: reports, what the receiver saw, and what the sender process cost.</summary>
public sealed record SenderResult(string Name, ReportResult Report, DeliverySnapshot Deliveries, long Expected, ServerStats Stats, TimeSpan BenchCpu, bool Complete, byte[]? SampleBody, WarmupResult Warmup, PhaseCpu PhaseCpu)
{
    /// <summary>Runs from the first report to the last receipt: the whole pipeline, not just the sending. With no hooks, the reports alone.</summary>
    public TimeSpan Elapsed => Expected == 0 ? Report.Duration
        : Deliveries.LastReceiptTimestamp == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Report.StartTimestamp, Deliveries.LastReceiptTimestamp);

    public double DeliveriesPerSecond => Elapsed > TimeSpan.Zero ? Deliveries.Received / Elapsed.TotalSeconds : 0;
}
