using System.Globalization;
using System.Text.Json.Nodes;

namespace BuildHooks.Cli.Running;

/// <summary>The JSON bodies of POST /api/projects/{id}/builds and PATCH /api/builds/{id}.</summary>
public static class ReportBody
{
    /// <summary>A build opened as running, before the command starts.</summary>
    public static JsonObject Open(CommitInfo info, DateTimeOffset startedAt)
    {
        var body = Commit(info, startedAt);
        body["status"] = "running";
        return body;
    }

    /// <summary>A whole finished build in one report (when it could not be opened first, or for <c>builds report</c>).</summary>
    public static JsonObject Finished(CommitInfo info, DateTimeOffset startedAt, CommandOutcome outcome)
    {
        var body = Commit(info, startedAt);
        foreach (var (name, value) in Finish(startedAt, outcome))
        {
            body[name] = value?.DeepClone();
        }

        return body;
    }

    /// <summary>The finish of a running build: the command's exit status as result, or status error.</summary>
    public static JsonObject Finish(DateTimeOffset startedAt, CommandOutcome outcome)
    {
        var body = new JsonObject { ["finished_at"] = Time(startedAt + outcome.Duration) };
        if (outcome.Result is { } result)
        {
            body["result"] = result;
        }
        else
        {
            body["status"] = "error";
        }

        return body;
    }

    /// <summary>What every report carries: the commit and when the build started; unknown fields are left out.</summary>
    public static JsonObject Commit(CommitInfo info, DateTimeOffset startedAt)
    {
        var body = new JsonObject
        {
            ["commit"] = info.Commit,
            ["author"] = info.Author,
            ["committer"] = info.Committer ?? info.Author,
            ["message"] = info.Message,
            ["branch"] = info.Branch,
            ["started_at"] = Time(startedAt),
        };
        foreach (var name in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            body.Remove(name);
        }

        return body;
    }

    /// <summary>ISO 8601 with the local offset, as the payloads show it back.</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
