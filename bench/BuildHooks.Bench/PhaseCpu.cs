namespace BuildHooks.Bench;

/// <summary>CPU time of the sender process and of the bench itself (reporters and receiver) over one phase of a run.</summary>
public sealed record PhaseCpu(TimeSpan Server, TimeSpan Bench);
