namespace BuildHooks.Storage.Builds;

/// <summary>
/// What a batch of reports is about, known before any of it is written: its projects, the branches of its new
/// builds, how many builds it inserts, and once per build that will fire hooks, that build's project.
/// </summary>
public sealed record BatchOutline(
    IReadOnlyCollection<long> Projects,
    IReadOnlyCollection<(long Project, string Branch)> Branches,
    int NewBuilds,
    IReadOnlyList<long> FiringProjects);
