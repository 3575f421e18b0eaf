using System.Globalization;
using System.Text.Json;
using BuildHooks.Core.Model;

namespace BuildHooks.Core.Payloads;

/// <summary>Magnum CI's flat build object, field for field and in Magnum's order.</summary>
internal static class MagnumPayload
{
    /// <summary>Magnum's timestamps: seconds precision, the offset the time was reported with.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:sszzz";

    public static void Write(Utf8JsonWriter json, BuildEvent e)
    {
        var build = e.Build;
        var seconds = BuildDuration.Seconds(build);

        json.WriteStartObject();
        json.WriteNumber("id"u8, build.Id);
        json.WriteNumber("project_id"u8, e.Project.Id);
        json.WriteString("title"u8, BuildTitle.For(build, e.Project));
        json.WriteNumber("number"u8, build.Number);
        json.WriteString("commit"u8, build.Commit);
        json.WriteString("author"u8, build.Author);
        json.WriteString("committer"u8, build.Committer);
        json.WriteString("message"u8, build.Message);
        json.WriteString("branch"u8, build.Branch);
        json.WriteString("state"u8, "finished"u8);
        json.WriteString("status"u8, WireNames.Status(build.Status));
        json.WriteNumber("result"u8, BuildDuration.Result(build));
        json.WriteNumber("duration"u8, seconds);
        json.WriteString("duration_string"u8, DurationText.Format(seconds));
        json.WriteString("commit_url"u8, build.CommitUrl);
        json.WriteString("compare_url"u8, build.CompareUrl);
        json.WriteString("build_url"u8, e.BuildUrl);
        json.WriteString("started_at"u8, Timestamp(build.StartedAt));
        json.WriteString("finished_at"u8, Timestamp(BuildDuration.FinishedAt(build)));
        json.WriteEndObject();
    }

    private static string Timestamp(DateTimeOffset time) => time.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
