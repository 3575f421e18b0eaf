namespace BuildHooks.Bench;

/// <summary>
/// CPU time of the sender process and of the bench itself (reporters and receiver) over one phase of a run, and of
/// the sender's background tiered JIT within the first (null where it cannot be watched, see <see cref="TieredJit"/>),
/// and of the whole machine (null where it cannot be read, see <see cref="MachineCpu"/>).
/// </summary>
public sealed record PhaseCpu(TimeSpan Server, TimeSpan Bench, TimeSpan? ServerJit, MachineCpu? Machine)
{
    /// <summary>
    /// Busy time that was neither the sender's nor the bench's: a database server, the kernel's writeback. The machine
    /// counts in 10 ms ticks and the processes more finely, so where nothing else ran it can come out a little below 0.
    /// </summary>
    public TimeSpan? Others => Machine is { } m ? TimeSpan.FromTicks(Math.Max(0, (m.Busy - Server - Bench).Ticks)) : null;
}
