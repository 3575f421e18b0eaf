using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using BuildHooks.Core.Model;
using BuildHooks.Server.Infrastructure;

namespace BuildHooks.Server.Contracts;

/// <summary>
/// Body of POST /api/projects/{id}/builds: a finished build, or one opened as running. [Required] marks for the
/// OpenAPI document what <see cref="Validate"/> refuses without; everything else may be left out.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BuildReport(
    [property: Range(1, BuildReport.MaxNumber)] int? Number = null,
    [property: Required] string? Commit = null,
    string? Author = null,
    string? Committer = null,
    [property: MultilineText] string? Message = null,
    [property: Required] string? Branch = null,
    [property: Description("pass, fail, error or running; give status or result.")] string? Status = null,
    [property: Description("The build script's exit status (0 is pass); give status or result.")] int? Result = null,
    [property: Required] DateTimeOffset? StartedAt = null,
    [property: Description("Required unless status is running.")] DateTimeOffset? FinishedAt = null,
    string? CommitUrl = null,
    string? CompareUrl = null)
{
    /// <summary>Far above any real build count, and far enough below int.MaxValue that numbering on from it cannot overflow.</summary>
    public const int MaxNumber = 1_000_000_000;

    public Validation Validate()
    {
        var v = new Validation()
            .Check(Number is null or (> 0 and <= MaxNumber), "number", "number must be a build number from 1 to 1000000000 (or left out to take the next one).")
            .Check(!string.IsNullOrWhiteSpace(Commit) && Commit.Length <= 100, "commit", "commit is required: the commit SHA the build ran on.")
            .Check(!string.IsNullOrWhiteSpace(Branch) && Branch.Length <= 255, "branch", "branch is required (at most 255 characters).")
            .Check(Author is null || Author.Length <= 255, "author", "author must be at most 255 characters.")
            .Check(Committer is null || Committer.Length <= 255, "committer", "committer must be at most 255 characters.")
            .Check(Message is null || Message.Length <= 65536, "message", "message must be at most 64 KB.")
            .Check(Status is null || EnumName.TryParse<BuildStatus>(Status, out _), "status", "status must be pass, fail, error or running.")
            .Check(Status is not null || Result is not null, "status", "give status (pass, fail, error, running) or result (the exit status: 0 is pass).")
            .Check(StartedAt is not null, "started_at", "started_at is required (ISO 8601 with offset).")
            .Check(Urls.IsHttpOrNull(CommitUrl), "commit_url", "commit_url must be an absolute http or https URL.")
            .Check(Urls.IsHttpOrNull(CompareUrl), "compare_url", "compare_url must be an absolute http or https URL.");
        v.CheckAgrees(Status, Result);
        var running = Status is not null && EnumName.TryParse<BuildStatus>(Status, out var s) && s == BuildStatus.Running;
        v.Check(running || FinishedAt is not null, "finished_at", "finished_at is required for a finished build.")
         .Check(StartedAt is null || FinishedAt is null || FinishedAt >= StartedAt, "finished_at", "finished_at must not be before started_at.");
        return v;
    }

    /// <summary>
    /// What this report says that contradicts <paramref name="build"/>, recorded earlier under the same Idempotency-Key (such as
    /// "commit def456"); empty when both name one build. Only what names a build is compared, not what an open and its finish
    /// differ in (status, result, finished_at, message, URLs), and number only when given: the server numbers builds otherwise.
    /// started_at is not compared: builds report without --started-at takes it from the moment it runs, so the same command
    /// retried after a timeout, the retry the key is for, names the same build with a later start.
    /// </summary>
    public List<string> Contradictions(Build build)
    {
        var contradictions = new List<string>();
        if (!string.Equals(Commit, build.Commit, StringComparison.Ordinal))
        {
            contradictions.Add($"commit {Commit}");
        }

        if (!string.Equals(Branch, build.Branch, StringComparison.Ordinal))
        {
            contradictions.Add($"branch {Branch}");
        }

        if (Number is { } number && number != build.Number)
        {
            contradictions.Add($"build #{number}");
        }

        return contradictions;
    }

    /// <summary>What a finished report says about the finish, for a build it reaches that was opened as running.</summary>
    public BuildFinish AsFinish() => new(Status, Result, FinishedAt, CompareUrl);

    /// <summary>status wins; else result 0 is pass and anything else fail.</summary>
    [JsonIgnore]
    public BuildStatus EffectiveStatus => ResultCode.StatusOf(Status, Result);
}
