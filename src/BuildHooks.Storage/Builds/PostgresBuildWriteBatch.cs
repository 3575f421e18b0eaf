using BuildHooks.Core.Model;
using BuildHooks.Storage.Postgres;
using Npgsql;
using static BuildHooks.Storage.Postgres.Pg;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// <see cref="BuildWriteBatch"/>'s statements on PostgreSQL. Several nodes may report builds of one project
/// at once, so the project row is locked for the transaction before a build number is chosen.
/// Builds and deliveries take their ids from blocks of their sequences fetched ahead, and their inserts wait
/// in one <see cref="NpgsqlBatch"/>: a batch of reports then costs a handful of round trips rather than one per
/// build and per delivery. Every read first flushes what waits, so reads always see the batch's own rows.
/// </summary>
internal sealed class PostgresBuildWriteBatch(NpgsqlConnection connection, NpgsqlTransaction transaction) : IBuildWriteBatch, IAsyncDisposable
{
    private const int IdBlock = 64;

    private readonly NpgsqlBatch _inserts = new(connection, transaction);
    private readonly Queue<long> _buildIds = new();
    private readonly Queue<long> _deliveryIds = new();

    /// <summary>True once a delivery was written without a lease: another node may take it.</summary>
    public bool WroteUnleased { get; private set; }

    public async Task<Project?> ProjectAsync(long projectId, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        // NO KEY UPDATE: serialises numbering with other reporters of this project, yet lets builds reference the row.
        await using var command = Command(connection, transaction, """
            SELECT key, name, repository_name, repository_selected_branch, repository_html_url, repository_clone_url
            FROM projects WHERE id = $1 FOR NO KEY UPDATE
            """, P(projectId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Project
        {
            Id = projectId,
            Key = reader.GetString(0),
            Name = reader.GetString(1),
            Repository = new Repository
            {
                Name = reader.GetString(2),
                SelectedBranch = reader.GetString(3),
                HtmlUrl = reader.IsDBNull(4) ? null : reader.GetString(4),
                CloneUrl = reader.IsDBNull(5) ? null : reader.GetString(5),
            },
            ReportTokenHash = "",
        };
    }

    public async Task<int?> NextNumberAsync(long projectId, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var next = (long)(await ScalarAsync(connection, transaction,
            "SELECT COALESCE(MAX(number), 0)::bigint + 1 FROM builds WHERE project_id = $1", cancellationToken, P(projectId)))!;
        return next <= int.MaxValue ? (int)next : null;
    }

    public async Task<bool> NumberTakenAsync(long projectId, int number, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return (bool)(await ScalarAsync(connection, transaction,
            "SELECT EXISTS (SELECT 1 FROM builds WHERE project_id = $1 AND number = $2)", cancellationToken, P(projectId), P(number)))!;
    }

    /// <summary>Sets the build's id from a block fetched ahead and queues its insert for <see cref="FlushAsync"/>.</summary>
    public async Task InsertAsync(Build b, CancellationToken cancellationToken)
    {
        b.Id = await NextIdAsync(_buildIds, "builds", cancellationToken);
        _inserts.BatchCommands.Add(BatchCommand("""
            INSERT INTO builds (id, uuid, project_id, number, "commit", author, committer, message, branch, status, result,
                                started_at, finished_at, commit_url, compare_url, created_at, access_token)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            """,
            P(b.Id), P(b.Uuid), P(b.ProjectId), P(b.Number), P(b.Commit), P(b.Author), P(b.Committer), P(b.Message), P(b.Branch),
            P(Word(b.Status)), P(b.Result), P(b.StartedAt.ToUniversalTime()), P(b.FinishedAt?.ToUniversalTime()),
            P(b.CommitUrl), P(b.CompareUrl), P(b.CreatedAt.ToUniversalTime()), P(b.AccessToken)));
    }

    public async Task<bool> FinishAsync(Build b, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await ExecuteAsync(connection, transaction, """
            UPDATE builds SET status = $1, result = $2, finished_at = $3, compare_url = $4
            WHERE id = $5 AND status = 'running'
            """, cancellationToken, P(Word(b.Status)), P(b.Result), P(b.FinishedAt?.ToUniversalTime()), P(b.CompareUrl), P(b.Id)) == 1;
    }

    public async Task<BuildStatus?> PreviousStatusAsync(Build b, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await ScalarAsync(connection, transaction, """
            SELECT status FROM builds
            WHERE project_id = $1 AND branch = $2 AND id < $3 AND status <> 'running'
            ORDER BY id DESC LIMIT 1
            """, cancellationToken, P(b.ProjectId), P(b.Branch), P(b.Id)) is string s
            ? Enum.Parse<BuildStatus>(s, true)
            : null;
    }

    public async Task<List<Hook>> EnabledHooksAsync(long projectId, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await using var command = Command(connection, transaction, $"""
            SELECT {HookRow.Columns}
            FROM hooks WHERE project_id = $1 AND enabled
            """, P(projectId));
        var hooks = new List<Hook>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hooks.Add(HookRow.Read(reader, projectId));
        }

        return hooks;
    }

    /// <summary>Queues the insert for <see cref="FlushAsync"/> and returns the id it will have, taken from a block fetched ahead.</summary>
    public async Task<long> InsertDeliveryAsync(
        string webhookId, long hookId, long projectId, long buildId, long nowMs, byte[] payload, string contentType,
        string? leaseOwner, long? leaseUntilMs, CancellationToken cancellationToken)
    {
        WroteUnleased |= leaseOwner is null;
        var id = await NextIdAsync(_deliveryIds, "deliveries", cancellationToken);
        _inserts.BatchCommands.Add(BatchCommand("""
            INSERT INTO deliveries (id, webhook_id, hook_id, project_id, build_id, kind, status, attempt_count, round_start,
                                    next_attempt_at_ms, payload, content_type, created_at_ms, lease_owner, lease_until_ms)
            VALUES ($1, $2, $3, $4, $5, 'live', 'pending', 0, 0, $6, $7, $8, $6, $9, $10)
            """, P(id), P(webhookId), P(hookId), P(projectId), P(buildId), P(nowMs), P(payload), P(contentType), P(leaseOwner), P(leaseUntilMs)));
        return id;
    }

    /// <summary>Writes the queued inserts, in the order they were made, in one round trip: before every read and before commit.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_inserts.BatchCommands.Count > 0)
        {
            await _inserts.ExecuteNonQueryAsync(cancellationToken);
            _inserts.BatchCommands.Clear();
        }
    }

    public ValueTask DisposeAsync() => _inserts.DisposeAsync();

    /// <summary>The next id of <paramref name="table"/>, fetched <see cref="IdBlock"/> at a time (ids a rolled-back batch took are skipped).</summary>
    private async Task<long> NextIdAsync(Queue<long> ids, string table, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            await using var command = Command(connection, transaction,
                $"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)", P(IdBlock));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Enqueue(reader.GetInt64(0));
            }
        }

        return ids.Dequeue();
    }

    private static string Word(BuildStatus status) => status.ToString().ToLowerInvariant();
}
