using BuildHooks.Cli.Api;
using BuildHooks.Cli.Artifacts;
using BuildHooks.Cli.Rendering;

namespace BuildHooks.Cli.Running;

/// <summary>One <c>buildhooks run</c>: open the build, run the command, upload its artifacts, finish the build; the command's status always wins.</summary>
public sealed class BuildRun(Screen screen, Connection connection, BuildSpool spool, string project, CommitInfo info, IReadOnlyList<string> artifacts)
{
    private long? _projectId = ProjectReference.AsId(project);

    /// <summary>
    /// This run's name for its build, sent with the open and with the whole report it falls back to (and kept with it for
    /// flush): when the open's answer is lost but the server recorded it, the report finishes that build instead of
    /// making a second one beside a build left running.
    /// </summary>
    private readonly string _idempotencyKey = Guid.NewGuid().ToString();

    /// <summary>Reporting must not hold a finished build up for long: a dead server is noticed in seconds.</summary>
    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(10);

    public async Task<int> RunAsync(IReadOnlyList<string> command, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var api = new ApiClient(connection, ServerTimeout);
        var startedAt = DateTimeOffset.Now;
        long? buildId = null;
        try
        {
            buildId = await OpenAsync(api, startedAt, cancellationToken);
        }
        catch (ServerUnreachableException e)
        {
            screen.Note($"{e.Message}; running the command anyway and reporting at the end.");
        }
        catch (ApiException e)
        {
            // The build itself must not fail because reporting is misconfigured; say so loudly and run it.
            screen.Note($"the server refused to open the build ({e.Message}); running the command anyway, but it will NOT be reported.");
            return (await ChildCommand.RunAsync(command, screen.Context.WorkingDirectory, timeout, cancellationToken)).ExitCode;
        }

        var outcome = await ChildCommand.RunAsync(command, screen.Context.WorkingDirectory, timeout, cancellationToken);
        if (outcome.Error is { } error)
        {
            screen.Note(error);
        }

        if (buildId is null && artifacts.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            buildId = await OpenAgainAsync(api, startedAt, cancellationToken);
        }

        await UploadArtifactsAsync(buildId, cancellationToken);

        // Finishing goes on after Ctrl+C: the interrupted build is still reported, as an error.
        await FinishAsync(api, buildId, startedAt, outcome, CancellationToken.None);
        return outcome.ExitCode;
    }

    /// <summary>
    /// Runs the command without reporting it, because the report would be refused (<paramref name="why"/>). The step's own
    /// status still wins; the warning comes before the command and again after it, where a CI log's reader looks.
    /// </summary>
    public static async Task<int> RunUnreportedAsync(
        Screen screen, IReadOnlyList<string> command, TimeSpan? timeout, string why, bool withArtifacts, CancellationToken cancellationToken)
    {
        screen.Note($"warning: NO BUILD WILL BE REPORTED. {why} Running the command anyway.");
        var outcome = await ChildCommand.RunAsync(command, screen.Context.WorkingDirectory, timeout, cancellationToken);
        if (outcome.Error is { } error)
        {
            screen.Note(error);
        }

        screen.Note($"warning: NO BUILD WAS REPORTED (its hooks did not fire{(withArtifacts ? " and no artifacts were uploaded" : "")}): {why} "
            + $"The command's exit status {outcome.ExitCode} is returned.");
        return outcome.ExitCode;
    }

    /// <summary>Opens the build as running under this run's key; a second open with the key answers with the build the first made.</summary>
    private async Task<long> OpenAsync(ApiClient api, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        _projectId ??= await ProjectReference.ResolveAsync(api, project, cancellationToken);
        var opened = (await api.PostAsync($"api/projects/{_projectId}/builds", ReportBody.Open(info, startedAt), _idempotencyKey, cancellationToken)).Json;
        screen.Note($"build #{opened.Str("number")} of project {_projectId} is running ({opened.Str("build_url")})");
        return opened.GetProperty("id").GetInt64();
    }

    /// <summary>
    /// Artifacts can only go up to a running build, so a run whose open got no answer opens it again, under the same key, once
    /// the command is done: the server answers with the build the first open made if it had recorded it, or opens it now.
    /// </summary>
    private async Task<long?> OpenAgainAsync(ApiClient api, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        screen.Note("opening the build again, so that its artifacts can be uploaded...");
        try
        {
            return await OpenAsync(api, startedAt, cancellationToken);
        }
        catch (Exception e) when (e is ServerUnreachableException or ApiException)
        {
            screen.Note($"the build could not be opened again ({e.Message}).");
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted: the upload says so, and the build is still finished as an error.
            return null;
        }
    }

    /// <summary>Artifacts go up before the build finishes, so that the payloads its hooks get list them.</summary>
    private async Task UploadArtifactsAsync(long? buildId, CancellationToken cancellationToken)
    {
        if (artifacts.Count == 0)
        {
            return;
        }

        if (buildId is not { } id)
        {
            screen.Note("the artifacts were NOT uploaded: the build could not be opened on the server.");
        }
        else if (cancellationToken.IsCancellationRequested)
        {
            screen.Note("interrupted: the artifacts were NOT uploaded.");
        }
        else
        {
            try
            {
                await new ArtifactUploader(screen, connection).UploadAsync(id, artifacts, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                screen.Note("interrupted: the remaining artifacts were NOT uploaded.");
            }
        }
    }

    private async Task FinishAsync(ApiClient api, long? buildId, DateTimeOffset startedAt, CommandOutcome outcome, CancellationToken cancellationToken)
    {
        if (_projectId is null && await ProjectIdAtLastAsync(api, cancellationToken) is null)
        {
            return;
        }

        var projectId = _projectId!.Value;
        var report = buildId is { } id
            ? new SpooledReport(connection.Server.AbsoluteUri, projectId, id, ReportBody.Finish(startedAt, outcome), DateTimeOffset.Now)
            : new SpooledReport(connection.Server.AbsoluteUri, projectId, null, ReportBody.Finished(info, startedAt, outcome), DateTimeOffset.Now, _idempotencyKey);
        try
        {
            var response = await report.SendAsync(api, cancellationToken);
            var build = response.Json;
            screen.Note($"build #{build.Str("number")} reported: {build.Str("status")} in {outcome.Duration.TotalSeconds:0.0} s ({build.Str("build_url")})");
            if (screen.IsJson)
            {
                await screen.Context.Out.WriteLineAsync(response.Body);
            }
        }
        catch (ServerUnreachableException e)
        {
            var path = await spool.KeepAsync(report, cancellationToken);
            screen.Note($"THE BUILD REPORT WAS NOT SENT: {e.Message}.");
            screen.Note($"It is kept in {path}; send it later with 'buildhooks builds flush'.");
        }
        catch (ApiException e)
        {
            screen.Note($"THE BUILD REPORT WAS REFUSED by the server: {e.Message}");
        }
    }

    /// <summary>A key that could not be looked up when the build started gets one more try; a report is kept only under an id.</summary>
    private async Task<long?> ProjectIdAtLastAsync(ApiClient api, CancellationToken cancellationToken)
    {
        try
        {
            return _projectId = await ProjectReference.ResolveAsync(api, project, cancellationToken);
        }
        catch (Exception e) when (e is ServerUnreachableException or ApiException)
        {
            screen.Note($"THE BUILD REPORT WAS NOT SENT and cannot be kept: project key '{project}' could not be looked up ({e.Message}). "
                + "Give --project the project's numeric id to have unsent reports kept for 'buildhooks builds flush'.");
            return null;
        }
    }
}
