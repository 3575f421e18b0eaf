using System.Diagnostics;

namespace BuildHooks.Bench;

/// <summary>
/// Reports the run's builds, round-robin over the projects, from a fixed number of workers: as
/// fast as the server accepts them, or paced to a fixed offered rate for latency measurements.
/// </summary>
public sealed class BuildReporter(BuildHooksApi api, IReadOnlyList<CreatedProject> projects, DeliveryLog log)
{
    private long _next;
    private long _accepted;
    private long _failed;
    private string? _firstFailure;

    // CI reports with the project's report token; the admin token is the fallback should the server refuse it.
    private volatile bool _useAdminToken;

    /// <summary>Reports answered so far, accepted or not: for progress lines while a long fill runs.</summary>
    public long Answered => Interlocked.Read(ref _accepted) + Interlocked.Read(ref _failed);

    /// <summary>
    /// Reports <paramref name="builds"/> builds, or as many as <paramref name="limit"/> leaves time for; past either,
    /// reporting goes on while <paramref name="keepGoing"/> says so of the next build's index (a warm-up waiting for the
    /// sender's JIT to settle).
    /// </summary>
    public async Task<ReportResult> RunAsync(int builds, int concurrency, double? rate, CancellationToken ct, TimeSpan? limit = null, Func<long, bool>? keepGoing = null)
    {
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(builds, rate, start, limit, keepGoing, ct), ct));
        await Task.WhenAll(workers);
        var auth = _useAdminToken ? "admin token (the report_token was refused)"
            : projects.Any(p => p.ReportToken is null) ? "admin token (no report_token in the project)"
            : "report_token";
        return new ReportResult(start, Stopwatch.GetTimestamp(), _accepted, _failed, auth, _firstFailure);
    }

    private async Task WorkAsync(int builds, double? rate, long start, TimeSpan? limit, Func<long, bool>? keepGoing, CancellationToken ct)
    {
        while (true)
        {
            var index = Interlocked.Increment(ref _next) - 1;
            var done = index >= builds || (limit is { } l && Stopwatch.GetElapsedTime(start) >= l);
            if (done && keepGoing?.Invoke(index) != true)
            {
                return;
            }

            if (rate is { } perSecond)
            {
                // Each build has its own due time, so a late build does not push back the ones after it.
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)(index / perSecond * Stopwatch.Frequency));
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
            }

            var failure = await ReportAsync(projects[(int)(index % projects.Count)], index, ct);
            if (failure is null)
            {
                Interlocked.Increment(ref _accepted);
            }
            else
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstFailure, failure, null);
            }
        }
    }

    private async Task<string?> ReportAsync(CreatedProject project, long index, CancellationToken ct)
    {
        var commit = log.Shas.For(index);
        try
        {
            if (!_useAdminToken && project.ReportToken is { } reportToken)
            {
                log.MarkReported(index);
                var refused = await api.ReportBuildAsync(project.Id, reportToken, commit, ct);
                if (refused is not { IsAuthRefusal: true })
                {
                    return refused?.ToString();
                }

                _useAdminToken = true;
            }

            log.MarkReported(index);
            return (await api.ReportBuildAsync(project.Id, api.AdminToken, commit, ct))?.ToString();
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            return $"timed out: {e.Message}";
        }
    }
}
