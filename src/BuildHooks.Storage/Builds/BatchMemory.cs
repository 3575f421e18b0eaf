using BuildHooks.Core.Model;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// Remembers, for one write transaction, what a batch of reports has already read, so the batch asks each
/// question once per project or branch rather than once per report: the project, its enabled hooks, its next
/// build number and each branch's latest finished status. The answers stay right for the whole transaction
/// because nothing else numbers or finishes a project's builds meanwhile (SQLite has one writer; on PostgreSQL
/// <see cref="ProjectAsync"/> locks the project row until commit, and every report asks for its project first).
/// </summary>
public sealed class BatchMemory(IBuildWriteBatch inner) : IBuildWriteBatch
{
    private readonly Dictionary<long, Project?> _projects = [];
    private readonly Dictionary<long, List<Hook>> _hooks = [];
    private readonly Dictionary<long, long> _nextNumbers = [];

    /// <summary>Per branch: the newest build recorded in this batch and the status a build after it follows.</summary>
    private readonly Dictionary<(long Project, string Branch), (long BuildId, BuildStatus? Status)> _branches = [];

    /// <summary>Previous statuses worked out when a build was inserted, handed out once when asked.</summary>
    private readonly Dictionary<long, BuildStatus?> _previous = [];

    private long _lastInserted;

    /// <summary>Per project, the next build number as the batch leaves it.</summary>
    internal IReadOnlyDictionary<long, long> NextNumbers => _nextNumbers;

    /// <summary>Per branch, as the batch leaves it: its newest build of this batch (0 when none) and the status a new build follows.</summary>
    internal IReadOnlyDictionary<(long Project, string Branch), (long BuildId, BuildStatus? Status)> Branches => _branches;

    /// <summary>Asks the database's read-ahead, where it has one, and remembers its answers as if each had been asked alone.</summary>
    public async Task<BatchFacts?> ReadAheadAsync(BatchOutline outline, CancellationToken cancellationToken)
    {
        if (await inner.ReadAheadAsync(outline, cancellationToken) is not { } facts)
        {
            return null;
        }

        foreach (var id in outline.Projects)
        {
            _projects[id] = facts.Projects.GetValueOrDefault(id);
            _hooks[id] = facts.Hooks.GetValueOrDefault(id) ?? [];
            _nextNumbers[id] = facts.NextNumbers.GetValueOrDefault(id, 1);
        }

        // As if a build before this batch were the branch's newest: the batch's first build follows its status.
        foreach (var branch in outline.Branches)
        {
            _branches[branch] = (0, facts.LatestFinished.GetValueOrDefault(branch));
        }

        return facts;
    }

    /// <summary>Not remembered: asked once per keyed report, and the answer changes as the batch inserts.</summary>
    public Task<long?> BuildWithKeyAsync(long projectId, string key, CancellationToken cancellationToken) =>
        inner.BuildWithKeyAsync(projectId, key, cancellationToken);

    public async Task<Project?> ProjectAsync(long projectId, CancellationToken cancellationToken)
    {
        if (!_projects.TryGetValue(projectId, out var project))
        {
            _projects[projectId] = project = await inner.ProjectAsync(projectId, cancellationToken);
        }

        return project;
    }

    public async Task<List<Hook>> EnabledHooksAsync(long projectId, CancellationToken cancellationToken)
    {
        if (!_hooks.TryGetValue(projectId, out var hooks))
        {
            _hooks[projectId] = hooks = await inner.EnabledHooksAsync(projectId, cancellationToken);
        }

        return hooks;
    }

    public async Task<int?> NextNumberAsync(long projectId, CancellationToken cancellationToken)
    {
        if (!_nextNumbers.TryGetValue(projectId, out var next))
        {
            next = await inner.NextNumberAsync(projectId, cancellationToken) ?? (long)int.MaxValue + 1;
            _nextNumbers[projectId] = next;
        }

        return next <= int.MaxValue ? (int)next : null;
    }

    public Task<bool> NumberTakenAsync(long projectId, int number, CancellationToken cancellationToken) =>
        inner.NumberTakenAsync(projectId, number, cancellationToken);

    public async Task InsertAsync(Build b, CancellationToken cancellationToken)
    {
        await inner.InsertAsync(b, cancellationToken);
        _lastInserted = b.Id;
        // One past the highest number, as the database would now answer.
        if (_nextNumbers.TryGetValue(b.ProjectId, out var next) && b.Number >= next)
        {
            _nextNumbers[b.ProjectId] = (long)b.Number + 1;
        }

        // A new build is the newest of its branch, so what follows the branch's newest is what it follows.
        var branch = (b.ProjectId, b.Branch);
        if (_branches.TryGetValue(branch, out var newest))
        {
            _previous[b.Id] = newest.Status;
            _branches[branch] = (b.Id, b.Status == BuildStatus.Running ? newest.Status : b.Status);
        }
    }

    public async Task<bool> FinishAsync(Build b, CancellationToken cancellationToken)
    {
        var finished = await inner.FinishAsync(b, cancellationToken);
        if (finished)
        {
            // An older build finishing can change what newer ones follow: ask the database again from here on.
            _branches.Remove((b.ProjectId, b.Branch));
            _previous.Clear();
        }

        return finished;
    }

    public async Task<BuildStatus?> PreviousStatusAsync(Build b, CancellationToken cancellationToken)
    {
        if (_previous.Remove(b.Id, out var known))
        {
            return known;
        }

        var status = await inner.PreviousStatusAsync(b, cancellationToken);
        var branch = (b.ProjectId, b.Branch);
        if (!_branches.ContainsKey(branch) && b.Status != BuildStatus.Running && IsNewest(b))
        {
            _branches[branch] = (b.Id, b.Status);
        }

        return status;
    }

    public Task<long> InsertDeliveryAsync(
        string webhookId, long hookId, long projectId, long buildId, long nowMs, byte[] payload, string contentType,
        string? leaseOwner, long? leaseUntilMs, CancellationToken cancellationToken) =>
        inner.InsertDeliveryAsync(webhookId, hookId, projectId, buildId, nowMs, payload, contentType, leaseOwner, leaseUntilMs, cancellationToken);

    /// <summary>True for the build this batch inserted last, which no other build follows yet.</summary>
    private bool IsNewest(Build b) => b.Id == _lastInserted;
}
