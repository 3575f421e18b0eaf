using Xunit.Abstractions;

namespace BuildHooks.Server.Tests;

/// <summary>
/// How many kill -9s a crash test makes and the seed of its random timing: BUILDHOOKS_CRASH_KILLS (2 by default)
/// and BUILDHOOKS_CRASH_SEED (random, printed so a failing run can be replayed).
/// </summary>
public static class CrashSettings
{
    public static readonly int Kills = int.TryParse(Environment.GetEnvironmentVariable("BUILDHOOKS_CRASH_KILLS"), out var k) ? k : 2;

    /// <summary>A seeded random for this run; the seed is written to the test output with how to rerun it.</summary>
    public static Random Random(ITestOutputHelper output)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BUILDHOOKS_CRASH_SEED"), out var s) ? s : System.Random.Shared.Next();
        output.WriteLine($"seed {seed} (rerun with BUILDHOOKS_CRASH_SEED={seed})");
        return new Random(seed);
    }
}
