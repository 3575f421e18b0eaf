using BuildHooks.Core.Model;
using Npgsql;
using static BuildHooks.Storage.Postgres.Pg;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// The SQL of the ingest path on PostgreSQL: what a batch of reports must know about its projects before it renders a
/// payload, and the inserts of its rows. The read (<see cref="PostgresBuildWriteBatch"/>'s read-ahead) and the check of
/// what a node remembers use the very same expressions, so a remembered value passes the check exactly when a fresh
/// read would return it.
/// </summary>
internal static class PostgresIngestSql
{
    /// <summary>Locks the projects ($1) for the transaction, in id order, so that two nodes' batches never wait on each other in a cycle.</summary>
    public const string LockProjects = "FROM projects WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE";

    /// <summary>The project's next build number.</summary>
    public static string NextNumberOf(string project) =>
        $"(SELECT COALESCE(MAX(number), 0)::bigint + 1 FROM builds WHERE project_id = {project})";

    /// <summary>What payloads and trigger rules read of a project, as one value: its row and its enabled hooks (null when it is gone).</summary>
    public static string FingerprintOf(string project) => $"""
        (SELECT md5(ROW({ProjectRow.Columns})::text || COALESCE(
            (SELECT string_agg(ROW({HookRow.Columns})::text, ',' ORDER BY id) FROM hooks WHERE project_id = projects.id AND enabled), ''))
         FROM projects WHERE id = {project})
        """;

    /// <summary>The branch's latest finished status: what a new build on it follows (fixed / broken triggers).</summary>
    public static string LatestFinishedOf(string project, string branch) =>
        $"(SELECT status FROM builds WHERE project_id = {project} AND branch = {branch} AND status <> 'running' ORDER BY id DESC LIMIT 1)";

    /// <summary>
    /// The id of the branch's newest build. Ids taken ahead are used only while it is still the node's own last build,
    /// so that a branch's builds keep ids in the order they were recorded (the fixed / broken rules go by id).
    /// </summary>
    public static string NewestOf(string project, string branch) =>
        $"(SELECT MAX(id) FROM builds WHERE project_id = {project} AND branch = {branch})";

    /// <summary>
    /// The projects' locks, then a call of <c>buildhooks_expect</c> (migration IngestReadCheck) that raises
    /// <c>serialization_failure</c>, naming the first project or branch that is no longer as remembered.
    /// </summary>
    public static NpgsqlBatchCommand[] Check(
        IReadOnlyDictionary<long, PostgresIngestMemory.ProjectFacts> projects,
        IReadOnlyDictionary<(long Project, string Branch), PostgresIngestMemory.BranchFacts> branches)
    {
        var ids = projects.Keys.ToArray();
        var branchKeys = branches.Keys.ToArray();
        return
        [
            BatchCommand($"SELECT id {LockProjects}", P(ids)),
            BatchCommand($"""
                SELECT buildhooks_expect(changed IS NULL, changed) FROM (SELECT COALESCE(
                    (SELECT format('project %s (%s)', c.p,
                                   CASE WHEN {FingerprintOf("c.p")} IS DISTINCT FROM c.fingerprint THEN 'its row or hooks' ELSE 'its build numbers' END)
                     FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS c(p, fingerprint, next)
                     WHERE {FingerprintOf("c.p")} IS DISTINCT FROM c.fingerprint OR {NextNumberOf("c.p")} <> c.next
                     LIMIT 1),
                    (SELECT format('branch %s of project %s', b.branch, b.project)
                     FROM unnest($4::bigint[], $5::text[], $6::text[], $7::bigint[]) AS b(project, branch, status, newest)
                     WHERE {LatestFinishedOf("b.project", "b.branch")} IS DISTINCT FROM b.status
                        OR {NewestOf("b.project", "b.branch")} IS DISTINCT FROM b.newest
                     LIMIT 1)) AS changed) AS c
                """,
                P(ids), P(ids.Select(id => projects[id].Fingerprint).ToArray()), P(ids.Select(id => projects[id].NextNumber).ToArray()),
                P(branchKeys.Select(b => b.Project).ToArray()), P(branchKeys.Select(b => b.Branch).ToArray()),
                P(branchKeys.Select(b => branches[b].LatestFinished is { } s ? Word(s) : null).ToArray()),
                P(branchKeys.Select(b => branches[b].Newest).ToArray())),
        ];
    }

    /// <summary>One insert of all the builds, over arrays.</summary>
    public static NpgsqlBatchCommand InsertBuilds(List<Build> builds)
    {
        T[] Column<T>(Func<Build, T> value) => builds.Select(value).ToArray();
        return BatchCommand("""
            INSERT INTO builds (id, uuid, project_id, number, "commit", author, committer, message, branch, status, result,
                                started_at, finished_at, commit_url, compare_url, created_at, access_token, idempotency_key)
            SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                                 $9::text[], $10::text[], $11::int[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[],
                                 $16::timestamptz[], $17::text[], $18::text[])
            """,
            P(Column(b => b.Id)), P(Column(b => b.Uuid)), P(Column(b => b.ProjectId)), P(Column(b => b.Number)), P(Column(b => b.Commit)),
            P(Column(b => b.Author)), P(Column(b => b.Committer)), P(Column(b => b.Message)), P(Column(b => b.Branch)),
            P(Column(b => Word(b.Status))), P(Column(b => b.Result)), P(Column(b => b.StartedAt.ToUniversalTime())),
            P(Column(b => b.FinishedAt?.ToUniversalTime())), P(Column(b => b.CommitUrl)), P(Column(b => b.CompareUrl)),
            P(Column(b => b.CreatedAt.ToUniversalTime())), P(Column(b => b.AccessToken)), P(Column(b => b.IdempotencyKey)));
    }

    /// <summary>One insert of all the deliveries, over arrays; each is pending and has not been tried.</summary>
    public static NpgsqlBatchCommand InsertDeliveries(List<DeliveryRow> rows)
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

    public sealed record DeliveryRow(
        long Id, string WebhookId, long HookId, long ProjectId, long BuildId, long NowMs, byte[] Payload, string ContentType,
        string? LeaseOwner, long? LeaseUntilMs);

    /// <summary>A status as the builds table stores it.</summary>
    public static string Word(BuildStatus status) => status.ToString().ToLowerInvariant();

    public static BuildStatus Status(string word) => Enum.Parse<BuildStatus>(word, true);
}
