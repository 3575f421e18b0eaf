using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;
using BuildHooks.Core.Rules;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Server.Contracts;
using BuildHooks.Storage;
using Microsoft.EntityFrameworkCore;

namespace BuildHooks.Server.Services;

/// <summary>
/// Records builds and, when one finishes, writes one delivery per matching hook in the same
/// transaction — payload rendered and frozen now — then wakes the dispatcher.
/// </summary>
public sealed class BuildReporter(BuildHooksDb db, SqliteDatabase sqlite, DispatchSignal signal, PublicUrls urls, TimeProvider time)
{
    /// <summary>Returns the stored build, or null when the given number is taken.</summary>
    public async Task<Build?> ReportAsync(Project project, BuildReport report, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var build = new Build
        {
            Uuid = Guid.NewGuid(),
            ProjectId = project.Id,
            Commit = report.Commit!,
            Author = report.Author ?? "",
            Committer = report.Committer ?? report.Author ?? "",
            Message = report.Message ?? "",
            Branch = report.Branch!,
            Status = report.EffectiveStatus,
            Result = report.Result ?? ResultOf(report.EffectiveStatus),
            StartedAt = report.StartedAt!.Value,
            FinishedAt = report.EffectiveStatus == BuildStatus.Running ? null : report.FinishedAt,
            CommitUrl = report.CommitUrl,
            CompareUrl = report.CompareUrl,
            CreatedAt = now,
        };

        var queued = await WriteAsync(async () =>
        {
            if (report.Number is { } number && await db.Builds.AnyAsync(b => b.ProjectId == project.Id && b.Number == number, cancellationToken))
            {
                return -1;
            }

            build.Number = report.Number ?? (await db.Builds.Where(b => b.ProjectId == project.Id).MaxAsync(b => (int?)b.Number, cancellationToken) ?? 0) + 1;
            db.Builds.Add(build);
            await db.SaveChangesAsync(cancellationToken);
            return build.Status == BuildStatus.Running ? 0 : await EnqueueAsync(project, build, cancellationToken);
        }, cancellationToken);
        return queued < 0 ? null : build;
    }

    /// <summary>Finishes a running build; its hooks fire now.</summary>
    public Task FinishAsync(Project project, Build build, BuildFinish finish, CancellationToken cancellationToken)
    {
        build.Status = finish.EffectiveStatus;
        build.Result = finish.Result ?? ResultOf(build.Status);
        build.FinishedAt = finish.FinishedAt ?? time.GetUtcNow();
        build.CompareUrl = finish.CompareUrl ?? build.CompareUrl;
        return WriteAsync(async () =>
        {
            await db.SaveChangesAsync(cancellationToken);
            return await EnqueueAsync(project, build, cancellationToken);
        }, cancellationToken);
    }

    private async Task<int> WriteAsync(Func<Task<int>> work, CancellationToken cancellationToken)
    {
        var queued = await db.WriteAsync(sqlite, work, cancellationToken);
        if (queued > 0)
        {
            signal.Wake();
        }

        return queued;
    }

    private async Task<int> EnqueueAsync(Project project, Build build, CancellationToken cancellationToken)
    {
        var hooks = await db.Hooks.Where(h => h.ProjectId == project.Id && h.Enabled).ToListAsync(cancellationToken);
        if (hooks.Count == 0)
        {
            return 0;
        }

        var previous = await db.Builds
            .Where(b => b.ProjectId == project.Id && b.Branch == build.Branch && b.Id < build.Id && b.Status != BuildStatus.Running)
            .OrderByDescending(b => b.Id)
            .Select(b => (BuildStatus?)b.Status)
            .FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        var buildUrl = urls.Build(project.Id, build.Id);
        var count = 0;
        foreach (var hook in hooks.Where(h => TriggerRules.Matches(h, build, previous)))
        {
            var payload = PayloadRenderer.Render(new BuildEvent(build, project, hook, buildUrl, []), now);
            db.Deliveries.Add(new BuildHooks.Core.Model.Delivery
            {
                WebhookId = WebhookIds.New(),
                HookId = hook.Id,
                ProjectId = project.Id,
                BuildId = build.Id,
                Kind = DeliveryKind.Live,
                Status = DeliveryStatus.Pending,
                NextAttemptAtMs = now.ToUnixTimeMilliseconds(),
                Payload = payload.Body,
                ContentType = payload.ContentType,
                CreatedAtMs = now.ToUnixTimeMilliseconds(),
            });
            count++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return count;
    }

    private static int? ResultOf(BuildStatus status) => status switch
    {
        BuildStatus.Pass => 0,
        BuildStatus.Running => null,
        _ => 1,
    };
}
