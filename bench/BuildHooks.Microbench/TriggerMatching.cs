using BenchmarkDotNet.Attributes;
using BuildHooks.Core.Model;
using BuildHooks.Core.Rules;

namespace BuildHooks.Microbench;

/// <summary>Whether a finished build goes to a hook: runs once per build and enabled hook of its project.</summary>
[MemoryDiagnoser]
public class TriggerMatching
{
    private readonly Build _build = Sample.Build();
    private readonly Hook _everyBuild = new() { Url = "https://hooks.example.com/ci", Secret = Sample.Secret };
    private readonly Hook _globsAndTriggers = Sample.Hook();

    [Benchmark(Baseline = true)]
    public bool Any_trigger_every_branch() => TriggerRules.Matches(_everyBuild, _build, BuildStatus.Pass);

    /// <summary>Triggers fail and fixed, branches <c>main</c> and <c>release/*</c>, a build on <c>release/2.4</c>.</summary>
    [Benchmark]
    public bool Triggers_and_branch_globs() => TriggerRules.Matches(_globsAndTriggers, _build, BuildStatus.Pass);
}
