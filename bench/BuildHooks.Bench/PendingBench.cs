using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BuildHooks.Bench;

/// <summary>
/// <c>--pending N</c>: the server's resident memory while N deliveries wait in its database. The backlog is
/// made the way production makes one — builds reported through the API to hooks whose receiver is down — and
/// the server is then left to churn on its retries for the settle period while its VmRSS is sampled each second.
/// </summary>
public static class PendingBench
{
    // Enough that nothing fails for good (and no hook is disabled for it) within a run of minutes:
    // after the first retry at 5 s the next waits 5 min.
    public const int MaxAttempts = 20;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var wanted = options.PendingDeliveries!.Value;
        var builds = (int)((wanted + options.HooksPerProject - 1) / options.HooksPerProject);
        var dll = options.ServerDll ?? await ServerBuild.BuildAsync(ct);

        // A port bound but never listening: connections to it are refused at once, and nothing else can take it meanwhile.
        using var refusing = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new Uri($"http://127.0.0.1:{((IPEndPoint)refusing.LocalEndPoint!).Port}/down");

        await using var server = ServerProcess.Start(dll);
        Console.Error.WriteLine($"server pid {server.Id} at {server.BaseAddress}; hooks point at {target}, which refuses connections");
        try
        {
            await server.WaitHealthyAsync(BuildHooksApi.Http, TimeSpan.FromSeconds(60), ct);
            var api = new BuildHooksApi(server.BaseAddress, server.AdminToken);
            var (projects, firstHook) = await CreateProjectsAsync(api, target, options, ct);
            var before = server.ResidentBytes();

            Console.Error.WriteLine($"filling: {builds:N0} builds x {options.HooksPerProject} hooks = {(long)builds * options.HooksPerProject:N0} deliveries, {options.ReportConcurrency} reports at once...");
            var reporter = new BuildReporter(api, projects, new DeliveryLog(builds, deliveriesPerBuild: 0));
            var started = Stopwatch.GetTimestamp();
            var filling = reporter.RunAsync(builds, options.ReportConcurrency, options.Rate, ct);
            await WatchAsync(filling, server, () => FillProgress(reporter.Answered, builds, options.HooksPerProject, Stopwatch.GetElapsedTime(started)), ct);
            var fill = await filling;
            var afterFill = server.ResidentBytes();

            Console.Error.WriteLine($"filled in {fill.Duration.TotalSeconds:0.0} s; settling for {options.Settle.TotalSeconds:0} s while the server retries...");
            var settled = Stopwatch.GetTimestamp();
            var samples = await WatchAsync(Task.Delay(options.Settle, ct), server, () => $"settling, {Stopwatch.GetElapsedTime(settled).TotalSeconds:0} s", ct);
            var atEnd = server.ResidentBytes();
            var stats = server.Stats();

            // Read back after the memory figures are taken, so that listing deliveries does not count against them.
            var (pending, attempts) = await api.CountDeliveriesAsync(firstHook, "pending", ct);
            var (held, heldAttempts) = await api.CountDeliveriesAsync(firstHook, "held", ct);
            var check = new PendingCheck(firstHook, pending, held, attempts + heldAttempts);
            var (disabled, reason) = await DisabledHooksAsync(api, projects, ct);

            ResultTable.PrintPending(options, new PendingResult(fill, options.ReportConcurrency, target, options.Settle, before, afterFill, samples, atEnd, stats, check, disabled, reason));
            return fill.Failed == 0 ? 0 : 1;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            server.PrintFailure(e);
            return 2;
        }
    }

    private static async Task<(List<CreatedProject> Projects, string FirstHook)> CreateProjectsAsync(BuildHooksApi api, Uri target, BenchOptions options, CancellationToken ct)
    {
        var projects = new List<CreatedProject>(options.Projects);
        string? firstHook = null;
        for (var p = 1; p <= options.Projects; p++)
        {
            var project = await api.CreateProjectAsync($"pending-{p}", ct);
            for (var h = 0; h < options.HooksPerProject; h++)
            {
                var id = await api.CreateHookAsync(project.Id, target, timeoutSeconds: 15, MaxAttempts, ct);
                firstHook ??= id;
            }

            projects.Add(project);
        }

        Console.Error.WriteLine($"created {projects.Count} projects with {options.HooksPerProject} hooks each (max_attempts {MaxAttempts})");
        return (projects, firstHook!);
    }

    /// <summary>Waits for a phase to end, sampling the server's VmRSS every second and printing progress every five.</summary>
    private static async Task<List<long>> WatchAsync(Task phase, ServerProcess server, Func<string> progress, CancellationToken ct)
    {
        var samples = new List<long>();
        var ticks = 0;
        while (await Task.WhenAny(phase, Task.Delay(Tick, ct)) != phase)
        {
            ct.ThrowIfCancellationRequested();
            server.ThrowIfExited();
            if (server.ResidentBytes() is { } rss)
            {
                samples.Add(rss);
            }

            if (++ticks % 5 == 0)
            {
                Console.Error.WriteLine($"  {progress()}, rss {ResultTable.Mb(samples.LastOrDefault())}");
            }
        }

        await phase;
        return samples;
    }

    private static string FillProgress(long answered, int builds, int hooks, TimeSpan elapsed)
    {
        var perSecond = answered / elapsed.TotalSeconds;
        var left = perSecond > 0 ? $", about {(builds - answered) / perSecond:0} s left" : "";
        return $"filled {answered * hooks:N0} of {(long)builds * hooks:N0} deliveries ({perSecond * hooks:N0}/s{left})";
    }

    private static async Task<(int Disabled, string? FirstReason)> DisabledHooksAsync(BuildHooksApi api, List<CreatedProject> projects, CancellationToken ct)
    {
        var (disabled, reason) = (0, (string?)null);
        foreach (var project in projects)
        {
            foreach (var hook in (await api.ListHooksAsync(project.Id, ct)).EnumerateArray())
            {
                if (!hook.GetProperty("enabled").GetBoolean())
                {
                    disabled++;
                    reason ??= hook.GetProperty("disabled_reason").GetString();
                }
            }
        }

        return (disabled, reason);
    }
}
