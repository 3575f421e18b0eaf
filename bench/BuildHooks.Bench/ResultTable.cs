using System.Globalization;

namespace BuildHooks.Bench;

/// <summary>The plain-text summary: one fact per line, so that runs can be pasted and diffed.</summary>
public static class ResultTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(BenchOptions options, SenderResult result, CeilingResult? ceiling)
    {
        var (report, deliveries, expected, server, benchCpu) = (result.Report, result.Deliveries, result.Expected, result.Stats, result.BenchCpu);
        var elapsed = result.Elapsed;
        var deliveriesPerSecond = result.DeliveriesPerSecond;
        var missing = Math.Max(0, expected - deliveries.Received);

        Console.WriteLine();
        Console.WriteLine($"{result.Name} load benchmark");
        Row("builds reported", $"{N(report.Accepted)} accepted, {N(report.Failed)} failed (auth: {report.Auth})");
        if (report.FirstFailure is not null)
        {
            Row("first report failure", report.FirstFailure);
        }

        Row("projects x hooks", $"{N(options.Projects)} x {N(options.HooksPerProject)} ({N(options.Projects * options.HooksPerProject)} hooks)");
        Row("deliveries expected", N(expected));
        Row("received (unique ids)", N(deliveries.Received) + (deliveries.WithoutId > 0 ? $" ({N(deliveries.WithoutId)} without webhook-id)" : ""));
        Row("duplicates", N(deliveries.Duplicates));
        Row("missing", missing == 0 ? "0" : $"{N(missing)} (not arrived within {options.Timeout.TotalSeconds.ToString("0.##", Invariant)} s of the last report)");
        if (deliveries.Foreign > 0)
        {
            Row("not counted", $"{N(deliveries.Foreign)} POSTs without one of the measured builds' commits (warm-up stragglers or unexpected payloads)");
        }

        Row("warm-up", options.Warmup > 0 ? $"{N(options.Warmup)} builds before measuring" : "none");
        Row("elapsed", $"{elapsed.TotalSeconds.ToString("0.000", Invariant)} s (first report -> last receipt)");
        Row("deliveries/s", deliveriesPerSecond.ToString("N0", Invariant));
        Row("latency p50/p95/p99/max", $"{Ms(deliveries.Percentile(50))} / {Ms(deliveries.Percentile(95))} / {Ms(deliveries.Percentile(99))} / {Ms(deliveries.Percentile(100))} ms (report -> receipt)");
        var offered = options.Rate is { } rate ? $", offered {rate.ToString("N0", Invariant)} builds/s" : "";
        Row("ingest", $"{report.BuildsPerSecond.ToString("N0", Invariant)} builds/s (report phase {report.Duration.TotalSeconds.ToString("0.000", Invariant)} s, concurrency {options.ReportConcurrency}{offered})");
        if (ceiling is not null)
        {
            PrintCeiling(ceiling);
            Row("deliveries / ceiling", ceiling.RequestsPerSecond > 0 ? (deliveriesPerSecond / ceiling.RequestsPerSecond).ToString("P1", Invariant) : "n/a");
        }

        Row("server peak working set", $"{(server.PeakWorkingSetBytes / 1048576.0).ToString("0.0", Invariant)} MB (cpu {server.CpuTime.TotalSeconds.ToString("0.0", Invariant)} s, pid {server.ProcessId})");

        // Both processes share the machine: the bench's own cost shows whether it, not the server, was the limit.
        Row("bench process cpu", $"{benchCpu.TotalSeconds.ToString("0.0", Invariant)} s up to the end of the wait, on {Environment.ProcessorCount} cores");
    }

    public static void PrintCeiling(CeilingResult ceiling)
    {
        var payload = ceiling.RealPayload ? "a real delivery's payload" : "a sample payload";
        Row("raw ceiling", $"{ceiling.RequestsPerSecond.ToString("N0", Invariant)} req/s ({ceiling.Concurrency} concurrent, {N(ceiling.PayloadBytes)} B {payload}, {ceiling.Duration.TotalSeconds.ToString("0.#", Invariant)} s, {N(ceiling.Errors)} errors)");
    }

    private static void Row(string name, string value) => Console.WriteLine($"  {name,-26}{value}");

    private static string N(long n) => n.ToString("N0", Invariant);

    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString("0.0", Invariant);
}
