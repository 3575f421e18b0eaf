using System.Diagnostics;

namespace BuildHooks.Bench;

/// <summary>The run from start to finish: receiver, server, setup, reports, wait, ceiling, summary.</summary>
public static class BenchRun
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        await using var receiver = await HookReceiver.StartAsync(new DeliveryLog(options.Builds, options.HooksPerProject), ct);
        Console.Error.WriteLine($"receiver listening on {receiver.BaseAddress}");

        if (options.CeilingOnly)
        {
            var alone = await MeasureCeilingAsync(options, receiver, real: null, ct);
            Console.WriteLine();
            ResultTable.PrintCeiling(alone);
            return 0;
        }

        if (options.Compare)
        {
            return await CompareRun.RunAsync(options, receiver, ct);
        }

        var dll = options.ServerDll ?? await ServerBuild.BuildAsync(ct);
        var result = await MeasureAsync(new Sender("BuildHooks (SQLite)", dll, new Dictionary<string, string>()), options, receiver, ct);
        if (result is null)
        {
            return 2;
        }

        // The flood runs after the server is gone, so the two never compete for the machine's cores. With no hooks there is nothing to compare it with.
        var ceiling = options.ReportsOnly ? null : await MeasureCeilingAsync(options, receiver, result.SampleBody, ct);
        ResultTable.Print(options, result, ceiling);
        return result.Complete && result.Report.Failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Starts the sender as a child process, creates the projects and hooks, warms up, reports the
    /// measured builds and waits for their deliveries. Null when the sender failed (its last output is printed).
    /// </summary>
    public static async Task<SenderResult?> MeasureAsync(Sender sender, BenchOptions options, HookReceiver receiver, CancellationToken ct)
    {
        var log = new DeliveryLog(options.Builds, options.Layout.Healthy);
        await using var server = ServerProcess.Start(sender.Dll, sender.Environment);
        Console.Error.WriteLine($"{sender.Name}: pid {server.Id} at {server.BaseAddress}");
        try
        {
            await server.WaitHealthyAsync(BuildHooksApi.Http, TimeSpan.FromSeconds(60), ct);
            var api = new BuildHooksApi(server.BaseAddress, server.AdminToken);
            var projects = await CreateProjectsAsync(api, receiver, options, ct);
            var jit = TieredJit.Watch(server.Id, JitQuiet);
            var warmed = options.Warmup > 0 ? await WarmUpAsync(api, projects, receiver, server, jit, options, ct) : WarmupResult.None;

            receiver.Log = log;

            // CPU spent in the measured phase alone: per delivery it is steadier than a rate on a VM whose speed varies by day.
            var cpuAtStart = new PhaseCpu(server.Stats().CpuTime, Environment.CpuUsage.TotalTime, jit?.Sample(), MachineCpu.Sample());
            Console.Error.WriteLine($"reporting {options.Builds:N0} builds...");
            var report = await new BuildReporter(api, projects, log).RunAsync(options.Builds, options.ReportConcurrency, options.Rate, ct);
            // Only the healthy hooks can deliver; the others' attempts are counted apart (DeliveryLog.Unhealthy).
            var expected = report.Accepted * options.Layout.Healthy;
            Console.Error.WriteLine($"reported in {report.Duration.TotalSeconds:0.000} s; waiting for {expected:N0} deliveries...");
            var complete = await log.WaitForAsync(expected, options.Timeout, () => server.HasExited, ct);
            server.ThrowIfExited();
            var phaseCpu = new PhaseCpu(server.Stats().CpuTime - cpuAtStart.Server, Environment.CpuUsage.TotalTime - cpuAtStart.Bench, jit?.Sample() - cpuAtStart.ServerJit, MachineCpu.Sample() - cpuAtStart.Machine);

            // A short pause catches duplicates from retries that were already on their way.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            if (options.Timeline is { } prefix)
            {
                var path = $"{prefix}-{sender.Slug}.csv";
                log.WriteTimeline(path);
                Console.Error.WriteLine($"timeline written to {path}");
            }

            return new SenderResult(sender.Name, report, log.Snapshot(), expected, server.Stats(), Environment.CpuUsage.TotalTime, complete, log.SampleBody, warmed, phaseCpu);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            server.PrintFailure(e);
            return null;
        }
    }

    private static async Task<List<CreatedProject>> CreateProjectsAsync(BuildHooksApi api, HookReceiver receiver, BenchOptions options, CancellationToken ct)
    {
        var projects = new List<CreatedProject>(options.Projects);
        var hook = 0;
        for (var p = 1; p <= options.Projects; p++)
        {
            var project = await api.CreateProjectAsync($"bench-{p}", ct);
            var layout = options.Layout;
            for (var h = 0; h < layout.PerProject; h++)
            {
                await api.CreateHookAsync(project.Id, receiver.HookUri(++hook, layout.BehaviourOf(h)), layout.TimeoutSeconds, BuildHooksApi.DefaultMaxAttempts, ct);
            }

            projects.Add(project);
        }

        Console.Error.WriteLine($"created {projects.Count} projects with {hook} hooks");
        return projects;
    }

    /// <summary>
    /// Runs builds through the whole pipeline before measuring, so that JIT compilation, connection
    /// pools and database caches on both sides are warm and the measured tail is the steady state's.
    /// Tiered compilation keeps recompiling hot methods for the first tens of thousands of requests (measured with
    /// dotnet-counters: about 650 methods/s still being compiled after 500 builds, a core's worth of JIT), so the
    /// warm-up runs its builds or its time, whichever ends first, and then on until the sender's background JIT has
    /// been quiet for <see cref="JitQuiet"/>: on a slow day a 15 s warm-up left a PostgreSQL node still compiling,
    /// which then cost it 130–150 µs per delivery against 76–83 µs after a longer one.
    /// </summary>
    private static async Task<WarmupResult> WarmUpAsync(
        BuildHooksApi api, List<CreatedProject> projects, HookReceiver receiver, ServerProcess server, TieredJit? jit, BenchOptions options, CancellationToken ct)
    {
        // Room for the builds a JIT wait adds; the log keeps a slot per build, so it is bounded.
        var capacity = Math.Max(options.Warmup, (int)Math.Min(options.Warmup * 4L, 1_000_000));
        var warm = new DeliveryLog(capacity, options.Layout.Healthy);
        receiver.Log = warm;
        Console.Error.WriteLine($"warming up with {options.Warmup:N0} builds or for {options.WarmupTime.TotalSeconds:0} s, then until the sender's JIT is quiet (at most {capacity:N0} builds, {MaxWarmup.TotalSeconds:0} s)...");
        using var sampling = new CancellationTokenSource();
        var sampler = jit is null ? Task.CompletedTask : SampleAsync(jit, sampling.Token);
        var started = Stopwatch.GetTimestamp();
        Func<long, bool>? keepGoing = jit is null ? null
            : index => index < capacity && Stopwatch.GetElapsedTime(started) < MaxWarmup && !jit.Quiet;
        // At the measured rate when one is offered: a backlog built by a faster warm-up (of hooks that hang, say)
        // would be a different steady state from the one measured.
        var report = await new BuildReporter(api, projects, warm).RunAsync(options.Warmup, options.ReportConcurrency, options.Rate, ct, options.WarmupTime, keepGoing);
        var jitNote = jit is null ? "the sender's JIT not watched: no /proc"
            : jit.Quiet ? $"the sender's tiered JIT then quiet for {JitQuiet.TotalSeconds:0} s"
            : "the sender's tiered JIT still busy when the warm-up's limit came";
        await sampling.CancelAsync();
        await sampler;
        if (report.FirstFailure is not null)
        {
            Console.Error.WriteLine($"  warm-up: {report.Failed:N0} reports failed, first: {report.FirstFailure}");
        }

        var expected = report.Accepted * options.Layout.Healthy;
        if (!await warm.WaitForAsync(expected, options.Timeout, () => server.HasExited, ct))
        {
            server.ThrowIfExited();
            Console.Error.WriteLine($"  warm-up: only {warm.Received:N0} of {expected:N0} deliveries arrived; measuring anyway");
        }

        return new WarmupResult(report.Accepted, report.Duration, jitNote);
    }

    /// <summary>How long the background JIT must have used (almost) no CPU before the warm-up may end.</summary>
    private static readonly TimeSpan JitQuiet = TimeSpan.FromSeconds(2);

    /// <summary>However busy the JIT still is, the warm-up ends here (a sender that keeps compiling is measured as it is).</summary>
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(60);

    private static async Task SampleAsync(TieredJit jit, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                jit.Sample();
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
            // The warm-up's reporting is over.
        }
    }

    public static async Task<CeilingResult> MeasureCeilingAsync(BenchOptions options, HookReceiver receiver, byte[]? real, CancellationToken ct)
    {
        Console.Error.WriteLine($"measuring the receiver ceiling for {options.CeilingDuration.TotalSeconds:0.#} s at concurrency {options.CeilingConcurrency}...");
        return await CeilingProbe.RunAsync(receiver.CeilingUri, real ?? SamplePayload.Create(new CommitSha()), real is not null, options.CeilingConcurrency, options.CeilingDuration, ct);
    }
}
