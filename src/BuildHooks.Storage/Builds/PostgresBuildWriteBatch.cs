using BuildHooks.Core.Model;
using BuildHooks.Storage.Postgres;
using Npgsql;
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
/// </summary>
internal sealed class PostgresBuildWriteBatch(NpgsqlConnection connection) : IBuildWriteBatch
{
    private const int IdBlock = 64;

    private readonly List<Build> _builds = [];
    private readonly List<DeliveryRow> _deliveries = [];
    private readonly Queue<long> _buildIds = new();
    private readonly Queue<long> _deliveryIds = new();
    private bool _begun;

    /// <summary>True once a delivery was written without a lease: another node may take it.</summary>
    public bool WroteUnleased { get; private set; }

    public async Task<BatchFacts?> ReadAheadAsync(BatchOutline outline, CancellationToken cancellationToken)
    {
        var ids = outline.Projects.ToArray();
        await using var batch = Trip(
            // Locked first and in id order: numbering below is then this batch's alone, and no two nodes wait on each other.
            BatchCommand($"SELECT id, {ProjectRow.Columns} FROM projects WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", P(ids)),
            // One index probe per project (a GROUP BY would read every build of them).
            BatchCommand("SELECT p, COALESCE((SELECT MAX(number) FROM builds WHERE project_id = p), 0)::bigint + 1 FROM unnest($1::bigint[]) AS p", P(ids)),
            BatchCommand($"SELECT {HookRow.Columns}, project_id FROM hooks WHERE project_id = ANY($1) AND enabled ORDER BY id", P(ids)),
            BatchCommand("""
                SELECT b.project, b.branch,
                       (SELECT status FROM builds WHERE project_id = b.project AND branch = b.branch AND status <> 'running' ORDER BY id DESC LIMIT 1)
                FROM unnest($1::bigint[], $2::text[]) AS b(project, branch)
                """, P(outline.Branches.Select(b => b.Project).ToArray()), P(outline.Branches.Select(b => b.Branch).ToArray())),
            // Ids for this batch's rows, taken now rather than in round trips of their own: one per new build, and one per
            // enabled hook of each firing build (the most its deliveries can take; trigger rules may leave some unused).
            NextIds("builds", outline.NewBuilds),
            BatchCommand("""
                SELECT nextval(pg_get_serial_sequence('deliveries', 'id'))
                FROM unnest($1::bigint[]) AS b(project) JOIN hooks h ON h.project_id = b.project AND h.enabled
                """, P(outline.FiringProjects.ToArray())));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var projects = new Dictionary<long, Project>();
        while (await reader.ReadAsync(cancellationToken))
        {
            projects[reader.GetInt64(0)] = ProjectRow.Read(reader, reader.GetInt64(0), first: 1);
        }

        await reader.NextResultAsync(cancellationToken);
        var numbers = new Dictionary<long, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers[reader.GetInt64(0)] = reader.GetInt64(1);
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
            latest[(reader.GetInt64(0), reader.GetString(1))] = reader.IsDBNull(2) ? null : Enum.Parse<BuildStatus>(reader.GetString(2), true);
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

        return new BatchFacts(projects, hooks, numbers, latest);
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

    /// <summary>Sets the build's id from a block fetched ahead and queues its row for the next round trip.</summary>
    public async Task InsertAsync(Build b, CancellationToken cancellationToken)
    {
        b.Id = await NextIdAsync(_buildIds, "builds", cancellationToken);
        _builds.Add(b);
    }

    public async Task<bool> FinishAsync(Build b, CancellationToken cancellationToken)
    {
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
            ? Enum.Parse<BuildStatus>(s, true)
            : null;

    public async Task<List<Hook>> EnabledHooksAsync(long projectId, CancellationToken cancellationToken) =>
        (await ReadAheadOneAsync(projectId, cancellationToken)).Hooks.GetValueOrDefault(projectId) ?? [];

    private async Task<BatchFacts> ReadAheadOneAsync(long projectId, CancellationToken cancellationToken) =>
        (await ReadAheadAsync(new BatchOutline([projectId], [], 0, []), cancellationToken))!;

    /// <summary>Queues the row for the next round trip and returns the id it will have, taken from a block fetched ahead.</summary>
    public async Task<long> InsertDeliveryAsync(
        string webhookId, long hookId, long projectId, long buildId, long nowMs, byte[] payload, string contentType,
        string? leaseOwner, long? leaseUntilMs, CancellationToken cancellationToken)
    {
        WroteUnleased |= leaseOwner is null;
        var id = await NextIdAsync(_deliveryIds, "deliveries", cancellationToken);
        _deliveries.Add(new DeliveryRow(id, webhookId, hookId, projectId, buildId, nowMs, payload, contentType, leaseOwner, leaseUntilMs));
        return id;
    }

    /// <summary>
    /// Commits in one round trip: the rows still waiting, the notice to other nodes when some deliveries are theirs to
    /// take (sent at commit, exactly when the rows become visible), and COMMIT. An error in any of them skips the rest,
    /// COMMIT included, and the exception leaves the transaction for the pool to roll back.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        // Rows wait only once ids were taken, which a round trip (and so BEGIN) did: nothing begun, nothing to commit.
        if (!_begun)
        {
            return;
        }

        await using var batch = WroteUnleased
            ? Trip(BatchCommand(PostgresDatabase.NotifyDueSql), BatchCommand("COMMIT"))
            : Trip(BatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

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

    private async Task<object?> ScalarAsync(NpgsqlBatchCommand command, CancellationToken cancellationToken)
    {
        await using var batch = Trip(command);
        var value = await batch.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static NpgsqlBatchCommand InsertBuilds(List<Build> builds)
    {
        T[] Column<T>(Func<Build, T> value) => builds.Select(value).ToArray();
        return BatchCommand("""
            INSERT INTO builds (id, uuid, project_id, number, "commit", author, committer, message, branch, status, result,
                                started_at, finished_at, commit_url, compare_url, created_at, access_token)
            SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                                 $9::text[], $10::text[], $11::int[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[],
                                 $16::timestamptz[], $17::text[])
            """,
            P(Column(b => b.Id)), P(Column(b => b.Uuid)), P(Column(b => b.ProjectId)), P(Column(b => b.Number)), P(Column(b => b.Commit)),
            P(Column(b => b.Author)), P(Column(b => b.Committer)), P(Column(b => b.Message)), P(Column(b => b.Branch)),
            P(Column(b => Word(b.Status))), P(Column(b => b.Result)), P(Column(b => b.StartedAt.ToUniversalTime())),
            P(Column(b => b.FinishedAt?.ToUniversalTime())), P(Column(b => b.CommitUrl)), P(Column(b => b.CompareUrl)),
            P(Column(b => b.CreatedAt.ToUniversalTime())), P(Column(b => b.AccessToken)));
    }

    private static NpgsqlBatchCommand InsertDeliveries(List<DeliveryRow> rows)
    {
        T[] Column<T>(Func<DeliveryRow, T> value) => rows.Select(value).ToArray();
        return BatchCommand("""
            INSERT INTO deliveries (id, webhook_id, hook_id, project_id, build_id, kind, status, attempt_count, round_start,
                                    next_attempt_at_ms, payload, content_type, created_at_ms, lease_owner, lease_until_ms)
            SELECT d.id, d.webhook_id, d.hook_id, d.project_id, d.build_id, 'live', 'pending', 0, 0,
                   d.now_ms, d.payload, d.content_type, d.now_ms, d.lease_owner, d.lease_until_ms
            FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bytea[], $8::text[],
                        $9::text[], $10::bigint[])
              AS d(id, webhook_id, hook_id, project_id, build_id, now_ms, payload, content_type, lease_owner, lease_until_ms)
            """,
            P(Column(d => d.Id)), P(Column(d => d.WebhookId)), P(Column(d => d.HookId)), P(Column(d => d.ProjectId)),
            P(Column(d => d.BuildId)), P(Column(d => d.NowMs)), P(Column(d => d.Payload)), P(Column(d => d.ContentType)),
            P(Column(d => d.LeaseOwner)), P(Column(d => d.LeaseUntilMs)));
    }

    private sealed record DeliveryRow(
        long Id, string WebhookId, long HookId, long ProjectId, long BuildId, long NowMs, byte[] Payload, string ContentType,
        string? LeaseOwner, long? LeaseUntilMs);

    /// <summary>
    /// The next id of <paramref name="table"/>: one the read-ahead took, else fetched <see cref="IdBlock"/> at a time
    /// (ids a batch took and did not use are skipped; the queues live for one batch, so a node never holds old ids).
    /// </summary>
    private async Task<long> NextIdAsync(Queue<long> ids, string table, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            await using var batch = Trip(NextIds(table, IdBlock));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Enqueue(reader.GetInt64(0));
            }
        }

        return ids.Dequeue();
    }

    private static NpgsqlBatchCommand NextIds(string table, int count) =>
        BatchCommand($"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)", P(count));

    private static string Word(BuildStatus status) => status.ToString().ToLowerInvariant();
}
