using BuildHooks.Core.Model;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// What <see cref="IBuildWriteBatch.ReadAheadAsync"/> found for a batch: per project its row (absent when it
/// does not exist), its enabled hooks and its next build number; per branch the latest finished build's status.
/// </summary>
public sealed record BatchFacts(
    IReadOnlyDictionary<long, Project> Projects,
    IReadOnlyDictionary<long, List<Hook>> Hooks,
    IReadOnlyDictionary<long, long> NextNumbers,
    IReadOnlyDictionary<(long Project, string Branch), BuildStatus?> LatestFinished);
