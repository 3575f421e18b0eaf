using System.Globalization;

namespace BuildHooks.Bench;

/// <summary>The side-by-side table: each sender's figures and their ratios to the raw ceiling and to the baseline.</summary>
public static class CompareTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(BenchOptions options, IReadOnlyList<SenderResult> results, CeilingResult ceiling)
    {
        var baseline = results.FirstOrDefault(r => r.Name.StartsWith("Hangfire", StringComparison.Ordinal));
        var rate = options.Rate is { } r ? $", offered {r.ToString("N0", Invariant)} builds/s" : ", as fast as they are taken";
        Console.WriteLine();
        Console.WriteLine($"Side by side: {options.Builds.ToString("N0", Invariant)} builds x {options.HooksPerProject} hooks over {options.Projects} projects{rate}, " +
                          $"{options.ReportConcurrency} reporters, on {Environment.ProcessorCount} cores");
        Console.WriteLine($"  {"sender",-24}{"deliveries/s",14}{"p50 ms",10}{"p99 ms",10}{"peak MB",10}{"ingest/s",10}{"of ceiling",12}{"x baseline",12}{"missing",9}{"dup",7}");
        Console.WriteLine($"  {"raw ceiling (HttpClient)",-24}{ceiling.RequestsPerSecond.ToString("N0", Invariant),14}{"",10}{"",10}{"",10}{"",10}{"100.0 %",12}{"",12}{"",9}{"",7}");
        foreach (var result in results)
        {
            var perSecond = result.DeliveriesPerSecond;
            var ofCeiling = ceiling.RequestsPerSecond > 0 ? (perSecond / ceiling.RequestsPerSecond).ToString("P1", Invariant) : "n/a";
            var timesBaseline = baseline is { DeliveriesPerSecond: > 0 } ? (perSecond / baseline.DeliveriesPerSecond).ToString("0.0", Invariant) + " x" : "n/a";
            var lost = Math.Max(0, result.Expected - result.Deliveries.Received);
            Console.WriteLine($"  {result.Name,-24}{perSecond.ToString("N0", Invariant),14}{Ms(result.Deliveries.Percentile(50)),10}{Ms(result.Deliveries.Percentile(99)),10}" +
                              $"{(result.Stats.PeakWorkingSetBytes / 1048576.0).ToString("0", Invariant),10}{result.Report.BuildsPerSecond.ToString("N0", Invariant),10}" +
                              $"{ofCeiling,12}{timesBaseline,12}{lost.ToString("N0", Invariant),9}{result.Deliveries.Duplicates.ToString("N0", Invariant),7}");
        }

        Console.WriteLine("  (latency is report -> receipt; peak MB is the sender process's resident high-water mark, without the database server)");
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString("0.0", Invariant);
}
