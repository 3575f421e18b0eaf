using System.Buffers.Text;
using System.Security.Cryptography;
using BuildHooks.Core.Model;
using BuildHooks.Delivery.Intake;
using BuildHooks.Server.Contracts;
using BuildHooks.Server.Services.Artifacts;

namespace BuildHooks.Server.Services;

/// <summary>Turns API requests into builds for the <see cref="BuildIntake"/>, which records them and their deliveries.</summary>
public sealed class BuildReporter(BuildIntake intake, PublicUrls urls, ArtifactCatalog artifacts, TimeProvider time)
{
    /// <summary>
    /// Records a reported build (its <see cref="Build.Id"/> and number are set when the outcome is Recorded), with the
    /// number of deliveries it caused. With <see cref="BuildOutcome.KeyTaken"/> nothing was recorded, and the build's id is
    /// that of the build recorded earlier with <paramref name="idempotencyKey"/>.
    /// </summary>
    public async Task<(BuildOutcome Outcome, Build Build, int Deliveries)> ReportAsync(
        long projectId, BuildReport report, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var status = report.EffectiveStatus;
        var build = new Build
        {
            // Time-ordered (v7), so the unique index on it grows at its right edge: a random v4 dirtied one index page per build in every commit.
            Uuid = Guid.CreateVersion7(),
            ProjectId = projectId,
            Commit = report.Commit!,
            Author = report.Author ?? "",
            Committer = report.Committer ?? report.Author ?? "",
            Message = report.Message ?? "",
            Branch = report.Branch!,
            Status = status,
            Result = report.Result ?? ResultCode.Of(status),
            StartedAt = report.StartedAt!.Value,
            FinishedAt = status == BuildStatus.Running ? null : report.FinishedAt,
            CommitUrl = report.CommitUrl,
            CompareUrl = report.CompareUrl,
            CreatedAt = time.GetUtcNow(),
            AccessToken = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            IdempotencyKey = idempotencyKey,
        };
        var work = new BuildWork(build, Url, finishing: false, report.Number);
        var outcome = await intake.RecordAsync(work, cancellationToken);
        if (work.KeyedBuildId is { } keyed)
        {
            build.Id = keyed;
        }

        return (outcome, build, work.Deliveries);
    }

    /// <summary>Finishes a running build; its hooks fire now. Null when it had already finished, else its deliveries.</summary>
    public async Task<int?> FinishAsync(Build build, BuildFinish finish, CancellationToken cancellationToken)
    {
        build.Status = finish.EffectiveStatus;
        build.Result = finish.Result ?? ResultCode.Of(build.Status);
        build.FinishedAt = finish.FinishedAt ?? time.GetUtcNow();
        build.CompareUrl = finish.CompareUrl ?? build.CompareUrl;
        // Artifacts are uploaded while the build runs, so its payloads list them from here on.
        var work = new BuildWork(build, Url, finishing: true) { Artifacts = await artifacts.LinksAsync(build, cancellationToken) };
        return await intake.RecordAsync(work, cancellationToken) == BuildOutcome.Recorded ? work.Deliveries : null;
    }

    private string Url(Build build) => urls.Build(build.ProjectId, build.Id);
}
