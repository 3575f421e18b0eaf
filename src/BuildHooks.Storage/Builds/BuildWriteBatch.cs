using System.Globalization;
using BuildHooks.Core.Model;
using Microsoft.Data.Sqlite;

namespace BuildHooks.Storage.Builds;

/// <summary>
/// The statements that record builds and their deliveries, prepared once per transaction and
/// reused for every report in a batch (the ingest hot path; EF Core serves the rest of the API).
/// Values are written in the same forms EF Core reads back (upper-case GUID text, DateTimeOffset text).
/// </summary>
public sealed class BuildWriteBatch : IBuildWriteBatch
{
    private readonly SqliteCommand _nextNumber;
    private readonly SqliteCommand _numberTaken;
    private readonly RawStatement _insertBuild;
    private readonly SqliteCommand _finishBuild;
    private readonly SqliteCommand _previousStatus;
    private readonly SqliteCommand _enabledHooks;
    private readonly RawStatement _insertDelivery;
    private readonly SqliteCommand _project;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private SqliteCommand? _buildWithKey;

    public BuildWriteBatch(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
        _nextNumber = Sql.Prepare(connection, transaction, "SELECT COALESCE(MAX(number), 0) + 1 FROM builds WHERE project_id = $project", "$project");
        _numberTaken = Sql.Prepare(connection, transaction, "SELECT EXISTS (SELECT 1 FROM builds WHERE project_id = $project AND number = $number)", "$project", "$number");
        _insertBuild = RawStatement.Prepare(connection, """
            INSERT INTO builds (uuid, project_id, number, "commit", author, committer, message, branch, status, result,
                                started_at, finished_at, commit_url, compare_url, created_at, access_token, idempotency_key)
            VALUES ($uuid, $project, $number, $commit, $author, $committer, $message, $branch, $status, $result,
                    $started, $finished, $commit_url, $compare_url, $created, $access_token, $key)
            """, "$uuid", "$project", "$number", "$commit", "$author", "$committer", "$message", "$branch", "$status", "$result",
            "$started", "$finished", "$commit_url", "$compare_url", "$created", "$access_token", "$key");
        _finishBuild = Sql.Prepare(connection, transaction, """
            UPDATE builds SET status = $status, result = $result, finished_at = $finished, compare_url = $compare_url
            WHERE id = $id AND status = 'running'
            """, "$status", "$result", "$finished", "$compare_url", "$id");
        _previousStatus = Sql.Prepare(connection, transaction, """
            SELECT status FROM builds
            WHERE project_id = $project AND branch = $branch AND id < $id AND status <> 'running'
            ORDER BY id DESC LIMIT 1
            """, "$project", "$branch", "$id");
        _enabledHooks = Sql.Prepare(connection, transaction, $"""
            SELECT {HookRow.Columns}
            FROM hooks WHERE project_id = $project AND enabled = 1
            """, "$project");
        _insertDelivery = RawStatement.Prepare(connection, """
            INSERT INTO deliveries (webhook_id, hook_id, project_id, build_id, kind, status, attempt_count, round_start,
                                    next_attempt_at_ms, payload, content_type, created_at_ms, lease_owner, lease_until_ms)
            VALUES ($webhook_id, $hook, $project, $build, 'live', 'pending', 0, 0, $now, $payload, $content_type, $now, $owner, $until)
            """, "$webhook_id", "$hook", "$project", "$build", "$now", "$payload", "$content_type", "$owner", "$until");
        _project = Sql.Prepare(connection, transaction, $"SELECT {ProjectRow.Columns} FROM projects WHERE id = $project", "$project");
    }

    /// <summary>Null: in-process statements cost no round trip, so each question is asked when it comes.</summary>
    public Task<BatchFacts?> ReadAheadAsync(BatchOutline outline, CancellationToken cancellationToken) =>
        Task.FromResult<BatchFacts?>(null);

    /// <summary>The project as payloads show it, or null when it does not exist (any more).</summary>
    public async Task<Project?> ProjectAsync(long projectId, CancellationToken cancellationToken)
    {
        Sql.Bind(_project, projectId);
        await using var reader = await _project.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ProjectRow.Read(reader, projectId) : null;
    }

    /// <summary>The project's next build number; null when numbering has run out (a number near int.MaxValue was given).</summary>
    public async Task<int?> NextNumberAsync(long projectId, CancellationToken cancellationToken)
    {
        var next = Convert.ToInt64(await Sql.ScalarAsync(_nextNumber, cancellationToken, projectId), CultureInfo.InvariantCulture);
        return next <= int.MaxValue ? (int)next : null;
    }

    public async Task<bool> NumberTakenAsync(long projectId, int number, CancellationToken cancellationToken) =>
        Convert.ToInt64(await Sql.ScalarAsync(_numberTaken, cancellationToken, projectId, number), CultureInfo.InvariantCulture) != 0;

    /// <summary>Prepared when the batch's first keyed report asks, not with the others: most batches have no key to look up.</summary>
    public async Task<long?> BuildWithKeyAsync(long projectId, string key, CancellationToken cancellationToken)
    {
        _buildWithKey ??= Sql.Prepare(_connection, _transaction,
            "SELECT id FROM builds WHERE project_id = $project AND idempotency_key = $key", "$project", "$key");
        return await Sql.ScalarAsync(_buildWithKey, cancellationToken, projectId, key) is long id ? id : null;
    }

    /// <summary>Inserts the build and sets its <see cref="Build.Id"/>.</summary>
    public Task InsertAsync(Build b, CancellationToken cancellationToken)
    {
        b.Id = _insertBuild.Insert(
            b.Uuid.ToString().ToUpperInvariant(), b.ProjectId, b.Number, b.Commit, b.Author, b.Committer, b.Message, b.Branch,
            Word(b.Status), b.Result, b.StartedAt, b.FinishedAt, b.CommitUrl, b.CompareUrl, b.CreatedAt, b.AccessToken, b.IdempotencyKey);
        return Task.CompletedTask;
    }

    /// <summary>Finishes a running build; false when it had already finished.</summary>
    public async Task<bool> FinishAsync(Build b, CancellationToken cancellationToken) =>
        await Sql.ExecuteAsync(_finishBuild, cancellationToken, Word(b.Status), b.Result, b.FinishedAt, b.CompareUrl, b.Id) == 1;

    public async Task<BuildStatus?> PreviousStatusAsync(Build b, CancellationToken cancellationToken) =>
        await Sql.ScalarAsync(_previousStatus, cancellationToken, b.ProjectId, b.Branch, b.Id) is string s
            ? Enum.Parse<BuildStatus>(s, true)
            : null;

    public async Task<List<Hook>> EnabledHooksAsync(long projectId, CancellationToken cancellationToken)
    {
        Sql.Bind(_enabledHooks, projectId);
        var hooks = new List<Hook>();
        await using var reader = await _enabledHooks.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hooks.Add(HookRow.Read(reader, projectId));
        }

        return hooks;
    }

    /// <summary>Inserts a pending delivery, leased to <paramref name="leaseOwner"/> when that node sends it at once; returns its id.</summary>
    public Task<long> InsertDeliveryAsync(
        string webhookId, long hookId, long projectId, long buildId, long nowMs, byte[] payload, string contentType,
        string? leaseOwner, long? leaseUntilMs, CancellationToken cancellationToken) =>
        Task.FromResult(_insertDelivery.Insert(webhookId, hookId, projectId, buildId, nowMs, payload, contentType, leaseOwner, leaseUntilMs));

    private static string Word(BuildStatus status) => status.ToString().ToLowerInvariant();
}
