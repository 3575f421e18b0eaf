using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>The facts of a finished build that payloads derive rather than store.</summary>
public static class BuildDuration
{
    /// <summary>Whole seconds from start to finish; zero when clocks disagree and the finish comes first.</summary>
    public static long Seconds(Build build)
    {
        var elapsed = FinishedAt(build) - build.StartedAt;
        return elapsed > TimeSpan.Zero ? (long)elapsed.TotalSeconds : 0;
    }

    /// <summary>The finish time, which every rendered build has.</summary>
    public static DateTimeOffset FinishedAt(Build build)
    {
        if (build.Status == BuildStatus.Running || build.FinishedAt is not { } finishedAt)
        {
            throw new ArgumentException($"Build {build.Id} has not finished; only finished builds are rendered.", nameof(build));
        }

        return finishedAt;
    }

    /// <summary>The exit status, or the one a build script with this outcome would have had (0 for pass, 1 otherwise).</summary>
    public static int Result(Build build) => build.Result ?? (build.Status == BuildStatus.Pass ? 0 : 1);
}
