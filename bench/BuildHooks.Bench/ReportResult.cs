using System.Diagnostics;

namespace BuildHooks.Bench;

/// <summary>The report phase: how many builds the server accepted and how fast.</summary>
public sealed record ReportResult(long StartTimestamp, long EndTimestamp, long Accepted, long Failed, string Auth, string? FirstFailure)
{
    public TimeSpan Duration => Stopwatch.GetElapsedTime(StartTimestamp, EndTimestamp);
    public double BuildsPerSecond => Accepted / Duration.TotalSeconds;
}
