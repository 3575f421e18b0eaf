using System.Text.Json.Serialization;
using BuildHooks.Core.Model;
using BuildHooks.Server.Infrastructure;

namespace BuildHooks.Server.Contracts;

/// <summary>Body of PATCH /api/builds/{id}: finishes a build that was opened as running.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BuildFinish(string? Status = null, int? Result = null, DateTimeOffset? FinishedAt = null, string? CompareUrl = null)
{
    public Validation Validate(DateTimeOffset startedAt) => new Validation()
        .Check(Status is null || EnumName.TryParse<BuildStatus>(Status, out var s) && s != BuildStatus.Running, "status", "status must be pass, fail or error.")
        .Check(Status is not null || Result is not null, "status", "give status (pass, fail, error) or result (the exit status: 0 is pass).")
        .CheckAgrees(Status, Result)
        .Check(Urls.IsHttpOrNull(CompareUrl), "compare_url", "compare_url must be an absolute http or https URL.")
        .Check(FinishedAt is null || FinishedAt >= startedAt, "finished_at", $"finished_at must not be before the build's started_at ({startedAt:O}).");

    [JsonIgnore]
    public BuildStatus EffectiveStatus => ResultCode.StatusOf(Status, Result);
}
