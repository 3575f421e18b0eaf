using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BuildHooks.Cli.Api;

namespace BuildHooks.Cli.Running;

/// <summary>
/// A report the server did not get: either a whole build to POST to a project, or the finish (PATCH) of a build opened as
/// running. A POST keeps the run's <paramref name="IdempotencyKey"/>, so that a server that did record it (its answer was
/// lost) finishes or replays that build rather than making a second one; files kept before keys have none.
/// </summary>
public sealed record SpooledReport(string Server, long ProjectId, long? BuildId, JsonObject Body, DateTimeOffset SpooledAt, string? IdempotencyKey = null)
{
    [JsonIgnore]
    public bool IsFinish => BuildId is not null;

    /// <summary>Sends the report: the finish as a PATCH, a whole build as a POST with its key (if it was kept with one).</summary>
    public Task<ApiResponse> SendAsync(ApiClient api, CancellationToken cancellationToken) => IsFinish
        ? api.PatchAsync(Path, Body, cancellationToken)
        : api.PostAsync(Path, Body, IdempotencyKey, cancellationToken);

    [JsonIgnore]
    public string Path => BuildId is { } id ? $"api/builds/{id}" : $"api/projects/{ProjectId}/builds";
}
