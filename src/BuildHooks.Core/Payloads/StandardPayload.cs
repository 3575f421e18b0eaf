using System.Text.Json;
using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>A Standard Webhooks envelope carrying everything BuildHooks knows about the build, its project and the hook.</summary>
internal static class StandardPayload
{
    public static void Write(Utf8JsonWriter json, BuildEvent e, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, PayloadRenderer.EventType);
        json.WriteString("timestamp"u8, now.UtcDateTime);
        json.WriteStartObject("data"u8);
        WriteBuild(json, e);
        WriteProject(json, e.Project);
        WriteHook(json, e.Hook);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteBuild(Utf8JsonWriter json, BuildEvent e)
    {
        var build = e.Build;
        var seconds = BuildDuration.Seconds(build);

        json.WriteStartObject("build"u8);
        json.WriteNumber("id"u8, build.Id);
        json.WriteString("uuid"u8, build.Uuid);
        json.WriteNumber("number"u8, build.Number);
        json.WriteString("status"u8, WireNames.Status(build.Status));
        WriteNumberOrNull(json, "result"u8, build.Result);
        json.WriteString("commit"u8, build.Commit);
        json.WriteString("author"u8, build.Author);
        json.WriteString("committer"u8, build.Committer);
        json.WriteString("message"u8, build.Message);
        json.WriteString("branch"u8, build.Branch);
        json.WriteString("started_at"u8, build.StartedAt);
        json.WriteString("finished_at"u8, BuildDuration.FinishedAt(build));
        json.WriteNumber("duration"u8, seconds);
        json.WriteString("duration_string"u8, DurationText.Format(seconds));
        json.WriteString("commit_url"u8, build.CommitUrl);
        json.WriteString("compare_url"u8, build.CompareUrl);
        json.WriteString("build_url"u8, e.BuildUrl);
        ArtifactsJson.Write(json, e.Artifacts);
        json.WriteEndObject();
    }

    private static void WriteProject(Utf8JsonWriter json, Project project)
    {
        json.WriteStartObject("project"u8);
        json.WriteNumber("id"u8, project.Id);
        json.WriteString("key"u8, project.Key);
        json.WriteString("name"u8, project.Name);
        RepositoryJson.Write(json, project.Repository);
        json.WriteEndObject();
    }

    // The URL and custom headers are left out as well as the secret: either may carry a credential.
    private static void WriteHook(Utf8JsonWriter json, Hook hook)
    {
        json.WriteStartObject("hook"u8);
        json.WriteNumber("id"u8, hook.Id);
        json.WriteString("format"u8, WireNames.Format(hook.Format));
        json.WriteString("content_type"u8, WireNames.ContentType(hook.ContentType));
        json.WriteStartArray("triggers"u8);
        foreach (var trigger in hook.Triggers)
        {
            json.WriteStringValue(WireNames.Trigger(trigger));
        }

        json.WriteEndArray();
        json.WriteStartArray("branches"u8);
        foreach (var branch in hook.Branches)
        {
            json.WriteStringValue(branch);
        }

        json.WriteEndArray();
        json.WriteNumber("max_attempts"u8, hook.MaxAttempts);
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
