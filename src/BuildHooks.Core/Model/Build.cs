namespace BuildHooks.Core.Model;

/// <summary>One run of a project's build, as reported by CI.</summary>
public sealed class Build
{
    public long Id { get; set; }
    public Guid Uuid { get; set; }
    public long ProjectId { get; set; }

    /// <summary>Per-project build number.</summary>
    public int Number { get; set; }

    public string Commit { get; set; } = "";
    public string Author { get; set; } = "";
    public string Committer { get; set; } = "";
    public string Message { get; set; } = "";
    public string Branch { get; set; } = "";
    public BuildStatus Status { get; set; }

    /// <summary>The build script's exit status.</summary>
    public int? Result { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? CommitUrl { get; set; }
    public string? CompareUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The build's own random access token (128 bits, URL-safe) that opens its artifacts' download URLs and no other
    /// build's. Kept in plain because payloads carry it in every <c>download_url</c>; null for builds made before artifacts.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// The client's Idempotency-Key for the report that created the build, unique within its project: a report sent
    /// again with it (an answer lost to a timeout) reaches this build instead of making a second one. Null when none was given.
    /// </summary>
    public string? IdempotencyKey { get; set; }
}
