using BuildHooks.Core.Model;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// What this node's last batches of reports read of their projects, kept so that the next batch about the same
/// projects need not read it again: that batch sends its inserts in one round trip instead of two, headed by a check
/// that the projects are still as remembered, which rolls the whole batch back when another node or an API edit
/// changed them (see <see cref="PostgresBuildWriteBatch"/>). Also keeps the ids taken ahead for such batches.
/// One batch runs at a time on a node (<c>BuildIntake</c> has one writer), and the id queues rely on that; the lock
/// keeps the remembered facts safe regardless.
/// </summary>
internal sealed class PostgresIngestMemory(TimeProvider time)
{
    /// <summary>
    /// Beyond this many projects, or ten times as many branches (feature branches come and go), the memory starts over:
    /// it stays a few megabytes however many projects and branches a node has reported for, and they are read afresh.
    /// </summary>
    private const int MaxProjects = 10_000;

    /// <summary>
    /// A project that another node also reports for changes under this node's feet at every batch; after a conflict it is
    /// read afresh (two round trips, no rollback) for this long rather than costing a rolled-back trip each time.
    /// </summary>
    private static readonly TimeSpan QuietAfterConflict = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, ProjectFacts> _projects = [];
    private readonly Dictionary<(long Project, string Branch), BranchFacts> _branches = [];
    private readonly Dictionary<long, long> _conflictAt = [];

    /// <summary>Ids of builds and deliveries taken from their sequences ahead, for batches that make no read of their own.</summary>
    public Queue<long> BuildIds { get; } = new();

    public Queue<long> DeliveryIds { get; } = new();

    /// <summary>What payloads and trigger rules read of a project: its row, its enabled hooks, its next number, and a fingerprint of the first two.</summary>
    public sealed record ProjectFacts(Project Project, List<Hook> Hooks, long NextNumber, string Fingerprint);

    /// <summary>Of a branch: the latest finished build's status (what a new build follows) and its newest build's id.</summary>
    public sealed record BranchFacts(BuildStatus? LatestFinished, long? Newest);

    /// <summary>The facts of every project and branch of <paramref name="outline"/>, or false when one of them must be read afresh.</summary>
    public bool TryRecall(
        BatchOutline outline, out Dictionary<long, ProjectFacts> projects, out Dictionary<(long, string), BranchFacts> branches)
    {
        projects = [];
        branches = [];
        var now = time.GetTimestamp();
        lock (_lock)
        {
            foreach (var id in outline.Projects)
            {
                if (!_projects.TryGetValue(id, out var facts)
                    || (_conflictAt.TryGetValue(id, out var at) && time.GetElapsedTime(at, now) < QuietAfterConflict))
                {
                    return false;
                }

                projects[id] = facts;
            }

            foreach (var branch in outline.Branches)
            {
                if (!_branches.TryGetValue(branch, out var facts))
                {
                    return false;
                }

                branches[branch] = facts;
            }
        }

        return true;
    }

    /// <summary>
    /// After a commit: what the batch read or recalled (<paramref name="read"/>, with the projects' fingerprints and the
    /// branches' newest ids), as the batch leaves it (<paramref name="after"/>: next numbers, branch statuses, new builds).
    /// Branches with a build finished in the batch are forgotten: an older build finishing can change what the next follows.
    /// </summary>
    public void Remember(
        BatchFacts read, IReadOnlyDictionary<long, string> fingerprints, IReadOnlyDictionary<(long, string), long?> newest,
        IReadOnlySet<(long, string)> finished, BatchMemory after)
    {
        lock (_lock)
        {
            if (_projects.Count > MaxProjects || _branches.Count > 10 * MaxProjects)
            {
                _projects.Clear();
                _branches.Clear();
            }

            foreach (var (id, project) in read.Projects)
            {
                if (fingerprints.TryGetValue(id, out var fingerprint) && after.NextNumbers.TryGetValue(id, out var next))
                {
                    _projects[id] = new ProjectFacts(project, read.Hooks.GetValueOrDefault(id) ?? [], next, fingerprint);
                }
            }

            foreach (var branch in newest.Keys.Concat(finished))
            {
                if (!finished.Contains(branch) && after.Branches.TryGetValue(branch, out var state))
                {
                    // A branch this batch added to has that build as its newest; otherwise what was read still holds.
                    _branches[branch] = new BranchFacts(state.Status, state.BuildId > 0 ? state.BuildId : newest[branch]);
                }
                else
                {
                    _branches.Remove(branch);
                }
            }
        }
    }

    /// <summary>Forgets the projects (and their branches) a failed batch was about; after a conflict, reads them afresh for a while.</summary>
    public void Forget(IReadOnlyCollection<long> projects, bool conflict)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            foreach (var id in projects)
            {
                _projects.Remove(id);
                if (conflict)
                {
                    _conflictAt[id] = now;
                }
            }

            foreach (var branch in _branches.Keys.Where(b => projects.Contains(b.Project)).ToList())
            {
                _branches.Remove(branch);
            }

            if (_conflictAt.Count > MaxProjects)
            {
                _conflictAt.Clear();
            }
        }
    }
}
