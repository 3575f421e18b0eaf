namespace BuildHooks.Bench;

/// <summary>What the server process cost, read just before it is stopped.</summary>
public sealed record ServerStats(int ProcessId, long PeakWorkingSetBytes, TimeSpan CpuTime);
