using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BuildHooks.Cli.Running;

/// <summary>A report the server did not get: either a whole build to POST to a project, or the finish (PATCH) of a build opened as running.</summary>
public sealed record SpooledReport(string Server, long ProjectId, long? BuildId, JsonObject Body, DateTimeOffset SpooledAt)
{
    [JsonIgnore]
    public bool IsFinish => BuildId is not null;

    [JsonIgnore]
    public string Path => BuildId is { } id ? $"api/builds/{id}" : $"api/projects/{ProjectId}/builds";
}
