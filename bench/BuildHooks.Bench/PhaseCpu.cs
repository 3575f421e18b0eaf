namespace BuildHooks.Bench;

/// <summary>
/// CPU time of the sender process and of the bench itself (reporters and receiver) over one phase of a run, and of
/// the sender's background tiered JIT within the first (null where it cannot be watched, see <see cref="TieredJit"/>).
/// </summary>
public sealed record PhaseCpu(TimeSpan Server, TimeSpan Bench, TimeSpan? ServerJit);
