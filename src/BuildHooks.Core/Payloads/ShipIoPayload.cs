using System.Text.Json;
using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>Ship.io's job webhook body: <c>{build, job}</c>.</summary>
internal static class ShipIoPayload
{
    public static void Write(Utf8JsonWriter json, BuildEvent e)
    {
        var build = e.Build;
        _ = BuildDuration.FinishedAt(build);

        json.WriteStartObject();
        json.WriteStartObject("build"u8);
        json.WriteString("id"u8, build.Uuid);
        json.WriteNumber("build_number"u8, build.Number);
        json.WriteString("commit_sha"u8, build.Commit);
        json.WriteString("state"u8, State(build.Status));
        json.WriteBoolean("successful"u8, build.Status == BuildStatus.Pass);
        ArtifactsJson.Write(json, e.Artifacts);
        json.WriteEndObject();

        json.WriteStartObject("job"u8);
        json.WriteString("id"u8, e.Project.Key);
        json.WriteString("name"u8, e.Project.Name);
        RepositoryJson.Write(json, e.Project.Repository);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string State(BuildStatus status) => status switch
    {
        BuildStatus.Pass => "succeeded",
        BuildStatus.Fail => "failed",
        BuildStatus.Error => "errored",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only finished builds are rendered."),
    };
}
