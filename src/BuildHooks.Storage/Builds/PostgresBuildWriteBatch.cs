using BuildHooks.Core.Model;
using BuildHooks.Storage.Postgres;
using Npgsql;
using static BuildHooks.Storage.Builds.PostgresIngestSql;
using static BuildHooks.Storage.Postgres.Pg;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// <see cref="BuildWriteBatch"/>'s statements on PostgreSQL. Several nodes may report builds of one project
/// at once, so the project row is locked for the transaction before a build number is chosen.
/// Builds and deliveries take their ids from blocks of their sequences fetched ahead, and their rows wait
/// to be written by one insert per table over arrays (<c>unnest</c>): a batch of reports then costs a handful of
/// round trips and statements rather than one per build and per delivery. The rows that wait go out at the
/// head of the next round trip, so reads always see the batch's own rows.
/// The transaction is begun and committed in SQL rather than with an <see cref="NpgsqlTransaction"/>: its BEGIN
/// rides on the first round trip and its COMMIT on the last (with the last rows), so a batch costs two round trips,
/// not three. Npgsql tracks a transaction begun in SQL (outside multiplexing) and rolls it back when the connection
/// goes back to the pool unfinished, as after any error.
/// A batch whose projects and branches the node remembers from its last batches (<see cref="PostgresIngestMemory"/>)
/// skips the read: its one round trip locks the projects, checks that what the node remembers still holds (the same
/// expressions the read uses, compared in SQL), and only then inserts and commits. When the check fails the
/// transaction aborts before any insert, and the writer reports a <see cref="WriteConflictException"/>.
/// </summary>
internal sealed class PostgresBuildWriteBatch(NpgsqlConnection connection, PostgresIngestMemory memory) : IBuildWriteBatch
{
    private const int IdBlock = 64;

    private readonly List<Build> _builds = [];
    private readonly List<DeliveryRow> _deliveries = [];
    private readonly Queue<long> _buildIds = memory.BuildIds;
    private readonly Queue<long> _deliveryIds = memory.DeliveryIds;
    private bool _begun;

    // What this batch read (or recalled): the fingerprints and branch ids the node remembers after the commit.
    private readonly Dictionary<long, string> _fingerprints = [];
    private readonly Dictionary<(long, string), long?> _newest = [];
    private readonly HashSet<(long, string)> _branchesFinished = [];
    private BatchFacts? _facts;
    private IReadOnlyCollection<long> _projects = [];

    // The lock and check that head the first round trip when the batch's facts were recalled rather than read.
    private NpgsqlBatchCommand[] _check = [];
    private NpgsqlBatch? _checkedBy;
    private int _buildsUsed;
    private int _deliveriesUsed;

    /// <summary>True once a delivery was written without a lease: another node may take it.</summary>
    public bool WroteUnleased { get; private set; }

    public async Task<BatchFacts?> ReadAheadAsync(BatchOutline outline, CancellationToken cancellationToken)
    {
        _projects = outline.Projects;
        if (memory.TryRecall(outline, out var projects, out var branches))
        {
            return _facts = Recall(projects, branches);
        }

        // Ids taken ahead serve only recalled batches (see PostgresIngestSql.NewestOf); a batch that reads takes fresh ones, under its locks.
        _buildIds.Clear();
        _deliveryIds.Clear();
        return _facts = await ReadAsync(outline, cancellationToken);
    }

    private async Task<BatchFacts> ReadAsync(BatchOutline outline, CancellationToken cancellationToken)
    {
        var ids = outline.Projects.ToArray();
        await using var batch = Trip(
            // Locked first and in id order: numbering below is then this batch's alone, and no two nodes wait on each other.
            BatchCommand($"SELECT id, {ProjectRow.Columns} {LockProjects}", P(ids)),
            // One index probe per project (a GROUP BY would read every build of them).
            BatchCommand($"SELECT p, {NextNumberOf("p")}, {FingerprintOf("p")} FROM unnest($1::bigint[]) AS p", P(ids)),
            BatchCommand($"SELECT {HookRow.Columns}, project_id FROM hooks WHERE project_id = ANY($1) AND enabled ORDER BY id", P(ids)),
            BatchCommand($"""
                SELECT b.project, b.branch, {LatestFinishedOf("b.project", "b.branch")}, {NewestOf("b.project", "b.branch")}
                FROM unnest($1::bigint[], $2::text[]) AS b(project, branch)
                """, P(outline.Branches.Select(b => b.Project).ToArray()), P(outline.Branches.Select(b => b.Branch).ToArray())),
            // Ids for this batch's rows, taken now rather than in round trips of their own: one per new build, and one per
            // enabled hook of each firing build (the most its deliveries can take; trigger rules may leave some unused).
            NextIds("builds", outline.NewBuilds),
            BatchCommand("""
                SELECT nextval(pg_get_serial_sequence('deliveries', 'id'))
                FROM unnest($1::bigint[]) AS b(project) JOIN hooks h ON h.project_id = b.project AND h.enabled
                """, P(outline.FiringProjects.ToArray())));
        await using var reader = await ResultsOfAsync(batch, cancellationToken);
        var projectsRead = new Dictionary<long, Project>();
        while (await reader.ReadAsync(cancellationToken))
        {
            projectsRead[reader.GetInt64(0)] = ProjectRow.Read(reader, reader.GetInt64(0), first: 1);
        }

        await reader.NextResultAsync(cancellationToken);
        var numbers = new Dictionary<long, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers[reader.GetInt64(0)] = reader.GetInt64(1);
            if (!reader.IsDBNull(2))
            {
                _fingerprints[reader.GetInt64(0)] = reader.GetString(2);
            }
        }

        await reader.NextResultAsync(cancellationToken);
        var hooks = new Dictionary<long, List<Hook>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var projectId = reader.GetInt64(HookRow.Count);
            if (!hooks.TryGetValue(projectId, out var list))
            {
                hooks[projectId] = list = [];
            }

            list.Add(HookRow.Read(reader, projectId));
        }

        await reader.NextResultAsync(cancellationToken);
        var latest = new Dictionary<(long, string), BuildStatus?>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var branch = (reader.GetInt64(0), reader.GetString(1));
            latest[branch] = reader.IsDBNull(2) ? null : Status(reader.GetString(2));
            _newest[branch] = reader.IsDBNull(3) ? null : reader.GetInt64(3);
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _buildIds.Enqueue(reader.GetInt64(0));
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _deliveryIds.Enqueue(reader.GetInt64(0));
        }

        return new BatchFacts(projectsRead, hooks, numbers, latest);
    }

    /// <summary>Answers from memory, and queues for the first round trip the lock and the check that what was recalled still holds.</summary>
    private BatchFacts Recall(
        Dictionary<long, PostgresIngestMemory.ProjectFacts> projects, Dictionary<(long, string), PostgresIngestMemory.BranchFacts> branches)
    {
        foreach (var (id, facts) in projects)
        {
            _fingerprints[id] = facts.Fingerprint;
        }

        foreach (var (branch, facts) in branches)
        {
            _newest[branch] = facts.Newest;
        }

        _check = PostgresIngestSql.Check(projects, branches);
        return new BatchFacts(
            projects.ToDictionary(p => p.Key, p => p.Value.Project),
            projects.ToDictionary(p => p.Key, p => p.Value.Hooks),
            projects.ToDictionary(p => p.Key, p => p.Value.NextNumber),
            branches.ToDictionary(b => b.Key, b => b.Value.LatestFinished));
    }

    // Asked alone, a project is read as a read-ahead of one: the same lock, the same queries.
    public async Task<Project?> ProjectAsync(long projectId, CancellationToken cancellationToken) =>
        (await ReadAheadOneAsync(projectId, cancellationToken)).Projects.GetValueOrDefault(projectId);

    public async Task<int?> NextNumberAsync(long projectId, CancellationToken cancellationToken)
    {
        var next = (await ReadAheadOneAsync(projectId, cancellationToken)).NextNumbers[projectId];
        return next <= int.MaxValue ? (int)next : null;
    }

    public async Task<bool> NumberTakenAsync(long projectId, int number, CancellationToken cancellationToken) =>
        (bool)(await ScalarAsync(BatchCommand("SELECT EXISTS (SELECT 1 FROM builds WHERE project_id = $1 AND number = $2)", P(projectId), P(number)),
            cancellationToken))!;

    /// <summary>A round trip of its own, only for a report with a key; it follows the project's lock and the rows still waiting.</summary>
    public async Task<long?> BuildWithKeyAsync(long projectId, string key, CancellationToken cancellationToken) =>
        await ScalarAsync(BatchCommand("SELECT id FROM builds WHERE project_id = $1 AND idempotency_key = $2", P(projectId), P(key)),
            cancellationToken) is long id ? id : null;

    /// <summary>Sets the build's id from a block fetched ahead and queues its row for the next round trip.</summary>
    public async Task InsertAsync(Build b, CancellationToken cancellationToken)
    {
        b.Id = await NextIdAsync(_buildIds, "builds", cancellationToken);
        _builds.Add(b);
        _buildsUsed++;
    }

    public async Task<bool> FinishAsync(Build b, CancellationToken cancellationToken)
    {
        // A build finishing changes what its branch's next build follows: the node reads that branch afresh next time.
        _branchesFinished.Add((b.ProjectId, b.Branch));
        await using var batch = Trip(BatchCommand("""
            UPDATE builds SET status = $1, result = $2, finished_at = $3, compare_url = $4
            WHERE id = $5 AND status = 'running'
            """, P(Word(b.Status)), P(b.Result), P(b.FinishedAt?.ToUniversalTime()), P(b.CompareUrl), P(b.Id)));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[^1].RecordsAffected == 1;
    }

    public async Task<BuildStatus?> PreviousStatusAsync(Build b, CancellationToken cancellationToken) =>
        await ScalarAsync(BatchCommand("""
            SELECT status FROM builds
            WHERE project_id = $1 AND branch = $2 AND id < $3 AND status <> 'running'
            ORDER BY id DESC LIMIT 1
            """, P(b.ProjectId), P(b.Branch), P(b.Id)), cancellationToken) is string s
            ? Status(s)
            : null;

    public async Task<List<Hook>> EnabledHooksAsync(long projectId, CancellationToken cancellationToken) =>
        (await ReadAheadOneAsync(projectId, cancellationToken)).Hooks.GetValueOrDefault(projectId) ?? [];

    private Task<BatchFacts> ReadAheadOneAsync(long projectId, CancellationToken cancellationToken) =>
        ReadAsync(new BatchOutline([projectId], [], 0, []), cancellationToken);

    /// <summary>Queues the row for the next round trip and returns the id it will have, taken from a block fetched ahead.</summary>
    public async Task<long> InsertDeliveryAsync(
        string webhookId, long hookId, long projectId, long buildId, long nowMs, byte[] payload, string contentType,
        string? leaseOwner, long? leaseUntilMs, CancellationToken cancellationToken)
    {
        WroteUnleased |= leaseOwner is null;
        var id = await NextIdAsync(_deliveryIds, "deliveries", cancellationToken);
        _deliveriesUsed++;
        _deliveries.Add(new DeliveryRow(id, webhookId, hookId, projectId, buildId, nowMs, payload, contentType, leaseOwner, leaseUntilMs));
        return id;
    }

    /// <summary>
    /// Commits in one round trip: the rows still waiting, the notice to other nodes when some deliveries are theirs to
    /// take (sent at commit, exactly when the rows become visible), and COMMIT; after it, ids for the next batch. An error
    /// in any of them skips the rest, COMMIT included, and the exception leaves the transaction for the pool to roll back.
    /// Once committed, the node remembers what the batch read, as the batch leaves it (<paramref name="after"/>).
    /// </summary>
    public async Task CommitAsync(BatchMemory after, CancellationToken cancellationToken)
    {
        // Nothing begun and nothing recalled to check: the batch wrote nothing and answered from what it read, so no trip.
        if (!_begun && _check.Length == 0 && _builds.Count == 0 && _deliveries.Count == 0)
        {
            return;
        }

        await using var batch = WroteUnleased
            ? Trip(BatchCommand(PostgresDatabase.NotifyDueSql), BatchCommand("COMMIT"))
            : Trip(BatchCommand("COMMIT"));
        // Taken after COMMIT, outside the transaction: a sequence hands out each value once whatever becomes of it.
        var aheadBuilds = IdBlock + _buildsUsed - _buildIds.Count;
        var aheadDeliveries = IdBlock + _deliveriesUsed - _deliveryIds.Count;
        batch.BatchCommands.Add(NextIds("builds", Math.Max(0, aheadBuilds), "ahead_build"));
        batch.BatchCommands.Add(NextIds("deliveries", Math.Max(0, aheadDeliveries), "ahead_delivery"));
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                var ids = reader.FieldCount == 1 ? reader.GetName(0) switch { "ahead_build" => _buildIds, "ahead_delivery" => _deliveryIds, _ => null } : null;
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids?.Enqueue(reader.GetInt64(0));
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        if (_facts is { } facts)
        {
            memory.Remember(facts, _fingerprints, _newest, _branchesFinished, after);
        }
    }

    /// <summary>Forgets what the batch was about after it failed: the node reads those projects afresh, for a while after a conflict.</summary>
    public void Forget(bool conflict) => memory.Forget(_projects, conflict);

    /// <summary>
    /// A round trip of <paramref name="commands"/>: after BEGIN when it is the transaction's first, and after the rows
    /// that wait (builds before the deliveries that refer to them), so what the commands read includes them.
    /// </summary>
    private NpgsqlBatch Trip(params NpgsqlBatchCommand[] commands)
    {
        var batch = new NpgsqlBatch(connection);
        if (!_begun)
        {
            batch.BatchCommands.Add(BatchCommand("BEGIN"));
            _begun = true;
            // Recalled facts are checked under the projects' locks before any row is written.
            foreach (var command in _check)
            {
                batch.BatchCommands.Add(command);
            }

            _checkedBy = _check.Length > 0 ? batch : null;
        }

        if (_builds.Count > 0)
        {
            batch.BatchCommands.Add(InsertBuilds(_builds));
            _builds.Clear();
        }

        if (_deliveries.Count > 0)
        {
            batch.BatchCommands.Add(InsertDeliveries(_deliveries));
            _deliveries.Clear();
        }

        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    /// <summary>Runs the round trip and leaves its reader on the first result of the trip's own commands, past the check's.</summary>
    private async Task<NpgsqlDataReader> ResultsOfAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (ReferenceEquals(batch, _checkedBy))
        {
            // The lock's rows, then the check's.
            await reader.NextResultAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
        }

        return reader;
    }

    private async Task<object?> ScalarAsync(NpgsqlBatchCommand command, CancellationToken cancellationToken)
    {
        await using var batch = Trip(command);
        await using var reader = await ResultsOfAsync(batch, cancellationToken);
        return await reader.ReadAsync(cancellationToken) && !await reader.IsDBNullAsync(0, cancellationToken) ? reader.GetValue(0) : null;
    }

    /// <summary>
    /// The next id of <paramref name="table"/>: one taken ahead, else fetched <see cref="IdBlock"/> at a time
    /// (ids taken and not used are skipped; a batch that reads its projects drops the ones left and takes fresh ones).
    /// </summary>
    private async Task<long> NextIdAsync(Queue<long> ids, string table, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            await using var batch = Trip(NextIds(table, IdBlock));
            await using var reader = await ResultsOfAsync(batch, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Enqueue(reader.GetInt64(0));
            }
        }

        return ids.Dequeue();
    }

    private static NpgsqlBatchCommand NextIds(string table, int count, string name = "id") =>
        BatchCommand($"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS {name} FROM generate_series(1, $1)", P(count));
}
