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
        var reportsOnly = options.ReportsOnly;

        Console.WriteLine();
        Console.WriteLine($"{result.Name} load benchmark");
        Row("builds reported", $"{N(report.Accepted)} accepted, {N(report.Failed)} failed (auth: {report.Auth})");
        if (report.FirstFailure is not null)
        {
            Row("first report failure", report.FirstFailure);
        }

        Row("projects x hooks", $"{N(options.Projects)} x {N(options.HooksPerProject)} ({N(options.Projects * options.HooksPerProject)} hooks)");
        var layout = options.Layout;
        if (options.Isolation)
        {
            PrintUnhealthy(options, layout, report.Accepted, deliveries.Unhealthy);
        }

        Row("deliveries expected", N(expected) + (options.Isolation ? $" (healthy hooks only: builds x {layout.Healthy})" : ""));
        Row("received (unique ids)", N(deliveries.Received) + (deliveries.WithoutId > 0 ? $" ({N(deliveries.WithoutId)} without webhook-id)" : ""));
        Row("duplicates", N(deliveries.Duplicates));
        Row("missing", missing == 0 ? "0" : $"{N(missing)} (not arrived within {options.Timeout.TotalSeconds.ToString("0.##", Invariant)} s of the last report)");
        if (deliveries.Foreign > 0)
        {
            Row("not counted", $"{N(deliveries.Foreign)} POSTs without one of the measured builds' commits (warm-up stragglers or unexpected payloads)");
        }

        var warmup = result.Warmup;
        Row("warm-up", warmup.Builds > 0 ? $"{N(warmup.Builds)} builds before measuring ({warmup.Duration.TotalSeconds.ToString("0.0", Invariant)} s; {warmup.Jit})" : "none");
        Row("elapsed", $"{elapsed.TotalSeconds.ToString("0.000", Invariant)} s " + (reportsOnly ? "(the report phase)" : "(first report -> last receipt)"));
        Row("deliveries/s", reportsOnly ? "none: no hooks" : deliveriesPerSecond.ToString("N0", Invariant));
        if (!reportsOnly)
        {
            Row(options.Isolation ? "healthy p50/p95/p99/max" : "latency p50/p95/p99/max", $"{Ms(deliveries.Percentile(50))} / {Ms(deliveries.Percentile(95))} / {Ms(deliveries.Percentile(99))} / {Ms(deliveries.Percentile(100))} ms (report -> receipt)");
        }

        var offered = options.Rate is { } rate ? $", offered {rate.ToString("N0", Invariant)} builds/s" : "";
        Row("ingest", $"{report.BuildsPerSecond.ToString("N0", Invariant)} builds/s (report phase {report.Duration.TotalSeconds.ToString("0.000", Invariant)} s, concurrency {options.ReportConcurrency}{offered})");
        if (ceiling is not null && !reportsOnly)
        {
            PrintCeiling(ceiling);
            Row("deliveries / ceiling", ceiling.RequestsPerSecond > 0 ? (deliveriesPerSecond / ceiling.RequestsPerSecond).ToString("P1", Invariant) : "n/a");
        }

        Row("server peak working set", $"{(server.PeakWorkingSetBytes / 1048576.0).ToString("0.0", Invariant)} MB (cpu {server.CpuTime.TotalSeconds.ToString("0.0", Invariant)} s, pid {server.ProcessId})");

        // Both processes share the machine: the bench's own cost shows whether it, not the server, was the limit.
        Row("bench process cpu", $"{benchCpu.TotalSeconds.ToString("0.0", Invariant)} s up to the end of the wait, on {Environment.ProcessorCount} cores");
        var (unit, count) = reportsOnly ? ("report", report.Accepted) : ("delivery", deliveries.Received);
        if (count > 0)
        {
            var jit = result.PhaseCpu.ServerJit is { } j ? $" (its tiered JIT {PerUnit(j)} us)" : "";
            var cpu = result.PhaseCpu;
            // The machine's busy time is sampled at timer ticks, which miss short bursts on idle cores: only a busy machine reads true.
            var busyEnough = cpu.Machine is { IdleShare: <= 0.5 };
            var rest = cpu.Others is { } others && busyEnough ? $", the rest of the machine {PerUnit(others)} us" : "";
            Row($"cpu per {unit}", $"server {PerUnit(cpu.Server)} us{jit}, bench {PerUnit(cpu.Bench)} us{rest} " + (reportsOnly ? "(the report phase)" : "(first report -> last receipt)"));
            if (cpu.Machine is { } machine)
            {
                // What the two counters above miss: a database server's processes, and the kernel writing dirty pages back.
                Row("machine cpu", $"{(Environment.ProcessorCount * (1 - machine.IdleShare)).ToString("0.00", Invariant)} of {Environment.ProcessorCount} cores busy, {machine.IdleShare.ToString("P0", Invariant)} idle" +
                    (busyEnough ? " (the rest: a database server, the kernel's writeback, anything else running)" : " (tick-sampled, so low under light load; the rest of the machine is not given)"));
            }
        }

        // Per delivery, or per report with no hooks.
        string PerUnit(TimeSpan cpu) => (cpu.TotalMicroseconds / count).ToString("0.0", Invariant);
    }

    /// <summary>What the broken hooks of an isolation run were sent, as the receiver counted it.</summary>
    private static void PrintUnhealthy(BenchOptions options, HookLayout layout, long accepted, UnhealthyCounts seen)
    {
        var hooks = options.Projects;
        Row("hook layout", $"per project {layout.Hanging} hanging, {layout.Failing} failing (500), {layout.Healthy} healthy; timeout {layout.TimeoutSeconds} s, max_attempts {BuildHooksApi.DefaultMaxAttempts}; the broken ones on a port of their own");
        Row("hanging hooks", $"{N(hooks * layout.Hanging)}: {N(seen.HangingAttempts)} attempts on {N(seen.HangingDeliveries)} of {N(accepted * layout.Hanging)} deliveries (held open, timed out by the server)");
        Row("failing hooks", $"{N(hooks * layout.Failing)}: {N(seen.FailingAttempts)} attempts on {N(seen.FailingDeliveries)} of {N(accepted * layout.Failing)} deliveries (answered 500)");
    }

    public static void PrintCeiling(CeilingResult ceiling)
    {
        var payload = ceiling.RealPayload ? "a real delivery's payload" : "a sample payload";
        Row("raw ceiling", $"{ceiling.RequestsPerSecond.ToString("N0", Invariant)} req/s ({ceiling.Concurrency} concurrent, {N(ceiling.PayloadBytes)} B {payload}, {ceiling.Duration.TotalSeconds.ToString("0.#", Invariant)} s, {N(ceiling.Errors)} errors)");
    }

    public static void PrintPending(BenchOptions options, PendingResult r)
    {
        var hooks = options.HooksPerProject;
        var pending = r.Fill.Accepted * hooks;
        var check = r.Check;
        Console.WriteLine();
        Console.WriteLine("BuildHooks pending-deliveries memory benchmark");
        Row("deliveries pending", $"{N(pending)} (builds accepted x hooks; asked for {N(options.PendingDeliveries ?? 0)})");
        var listed = check.Pending + check.Held;
        var perHook = (r.Fill.Accepted + options.Projects - 1) / options.Projects;
        var perDelivery = listed > 0 ? ((double)check.Attempts / listed).ToString("0.00", Invariant) : "n/a";
        Row($"checked on hook {check.HookId}", $"{N(check.Pending)} pending, {N(check.Held)} held of {(options.Projects == 1 ? "" : "about ")}{N(perHook)} (its project's builds); {N(check.Attempts)} attempts made, {perDelivery} per delivery");
        Row("builds reported", $"{N(r.Fill.Accepted)} accepted, {N(r.Fill.Failed)} failed (auth: {r.Fill.Auth})");
        if (r.Fill.FirstFailure is not null)
        {
            Row("first report failure", r.Fill.FirstFailure);
        }

        Row("projects x hooks", $"{N(options.Projects)} x {N(hooks)}, every hook at {r.Target} (refuses connections), max_attempts {PendingBench.MaxAttempts}");
        Row("hooks disabled", r.HooksDisabled == 0 ? $"0 of {N(options.Projects * hooks)}" : $"{N(r.HooksDisabled)} of {N(options.Projects * hooks)} (their deliveries stay in the database as held); first: {r.FirstDisabledReason}");
        Row("fill", $"{r.Fill.Duration.TotalSeconds.ToString("0.0", Invariant)} s, {(pending / r.Fill.Duration.TotalSeconds).ToString("N0", Invariant)} deliveries/s ({r.Fill.BuildsPerSecond.ToString("N0", Invariant)} builds/s, {r.ReportConcurrency} reports at once)");
        var settle = r.SettleSamples.Count > 0 ? $"{Mb(r.SettleSamples.Min())} .. {Mb(r.SettleSamples.Max())}" : "n/a";
        Row("server rss (VmRSS)", $"{Mb(r.RssBeforeFill)} before the fill, {Mb(r.RssAfterFill)} after it, {settle} while settling, {Mb(r.RssAtEnd)} at the end");
        Row("server peak rss (VmHWM)", $"{Mb(r.Stats.PeakWorkingSetBytes)} (cpu {r.Stats.CpuTime.TotalSeconds.ToString("0.0", Invariant)} s, pid {r.Stats.ProcessId})");
        Row("settle", $"{r.Settle.TotalSeconds.ToString("0", Invariant)} s after the fill, sampled every second");
    }

    public static string Mb(long? bytes) => bytes is { } b ? $"{(b / 1048576.0).ToString("0.0", Invariant)} MB" : "n/a";

    private static void Row(string name, string value) => Console.WriteLine($"  {name,-26}{value}");

    private static string N(long n) => n.ToString("N0", Invariant);

    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString("0.0", Invariant);
}
