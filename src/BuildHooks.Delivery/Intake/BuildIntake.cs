using System.Threading.Channels;
using BuildHooks.Core.Model;
using BuildHooks.Core.Payloads;
using BuildHooks.Core.Rules;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Storage;
using BuildHooks.Storage.Builds;
using BuildHooks.Storage.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Delivery.Intake;

/// <summary>
/// Records builds and, when one finishes, one delivery per matching hook with its payload rendered
/// and frozen — all in one transaction, then wakes the dispatcher. Reports that arrive together are
/// committed together (group commit): SQLite has one writer (and on PostgreSQL a round trip per report would be the cost), so one transaction for many reports is
/// what lets ingest scale with load instead of queueing behind per-request commits.
/// </summary>
public sealed partial class BuildIntake(IBuildWriter builds, Dispatcher dispatcher, DispatchSignal signal, HookActivity activity, DeliveryMetrics metrics, TimeProvider time, ILogger<BuildIntake> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private readonly Channel<BuildWork> _work = Channel.CreateUnbounded<BuildWork>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Records the build once its batch commits; deliveries are durable when this returns.</summary>
    public async Task<BuildOutcome> RecordAsync(BuildWork work, CancellationToken cancellationToken)
    {
        if (!_work.Writer.TryWrite(work))
        {
            throw new InvalidOperationException("The server is stopping; report the build again.");
        }

        return await work.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<BuildWork>(MaxBatch);
        try
        {
            while (await _work.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _work.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                await WriteAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _work.Writer.TryComplete();
            while (_work.Reader.TryRead(out var work))
            {
                batch.Add(work);
            }

            // Reports accepted before the stop are still recorded.
            await WriteAsync(batch);
        }
    }

    private async Task WriteAsync(List<BuildWork> batch, bool afterConflict = false)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var handOff = new List<ClaimedDelivery>();
        var hooksWithNew = new HashSet<long>();
        try
        {
            var (outcomes, toClaim, created) = await builds.WriteAsync(writes => RecordAllAsync(writes, batch, handOff, hooksWithNew), CancellationToken.None);
            metrics.Recorded(outcomes.Count(o => o == BuildOutcome.Recorded), created);
            foreach (var delivery in handOff)
            {
                dispatcher.Start(delivery);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(outcomes[i]);
            }

            if (toClaim > 0)
            {
                signal.Wake();
            }

            // Open delivery logs show a new delivery at once, before its first attempt is written.
            foreach (var hookId in hooksWithNew)
            {
                activity.Touch(hookId);
            }
        }
        catch (WriteConflictException e) when (!afterConflict)
        {
            // Nothing was written: the node read its memory of a project that had changed. Again, reading afresh.
            CancelReservations(handOff);
            LogConflict(e, batch.Count);
            await WriteAsync(batch, afterConflict: true);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            CancelReservations(handOff);
            // One bad report must not fail the others: record each alone.
            LogBatchFailed(e, batch.Count);
            foreach (var work in batch)
            {
                await WriteAsync([work]);
            }
        }
        catch (Exception e)
        {
            CancelReservations(handOff);
            batch[0].Done.TrySetException(e);
        }
    }

    private void CancelReservations(List<ClaimedDelivery> handOff)
    {
        foreach (var delivery in handOff)
        {
            dispatcher.CancelReservation(delivery.HookId);
        }
    }

    private async Task<(BuildOutcome[] Outcomes, int ToClaim, int Created)> RecordAllAsync(
        IBuildWriteBatch writes, List<BuildWork> batch, List<ClaimedDelivery> handOff, HashSet<long> hooksWithNew)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var leaseUntil = nowMs + (long)dispatcher.Lease.TotalMilliseconds;
        // Deliveries left for a claim because this node had no room; those of a busy hook wait for its freed slot instead.
        var toClaim = 0;
        var created = 0;
        var outcomes = new BuildOutcome[batch.Count];
        // On PostgreSQL one round trip answers what the loop below asks per project and branch, and takes the rows' ids.
        var fresh = batch.Where(w => !w.Finishing).Select(w => w.Build).ToList();
        await writes.ReadAheadAsync(new BatchOutline(
            batch.Select(w => w.Build.ProjectId).Distinct().ToList(),
            fresh.Select(b => (b.ProjectId, b.Branch)).Distinct().ToList(),
            fresh.Count,
            batch.Where(w => w.Build.Status != BuildStatus.Running).Select(w => w.Build.ProjectId).ToList()), CancellationToken.None);
        for (var i = 0; i < batch.Count; i++)
        {
            var work = batch[i];
            var build = work.Build;
            // A batch written again after a conflict counts afresh.
            work.Deliveries = 0;
            // Each report asks for its project first: on PostgreSQL that locks the project row for the batch.
            var project = await writes.ProjectAsync(build.ProjectId, CancellationToken.None);
            if (project is null)
            {
                outcomes[i] = BuildOutcome.ProjectMissing;
                continue;
            }

            outcomes[i] = await RecordAsync(writes, work, CancellationToken.None);
            if (outcomes[i] != BuildOutcome.Recorded || build.Status == BuildStatus.Running)
            {
                continue;
            }

            var hooks = await writes.EnabledHooksAsync(build.ProjectId, CancellationToken.None);
            if (hooks.Count == 0)
            {
                continue;
            }

            // Within the transaction this sees the batch's own earlier builds, so fixed/broken stay exact.
            var previous = await writes.PreviousStatusAsync(build, CancellationToken.None);
            var buildUrl = work.BuildUrl(build);
            foreach (var hook in hooks.Where(h => TriggerRules.Matches(h, build, previous)))
            {
                var payload = PayloadRenderer.Render(new BuildEvent(build, project, hook, buildUrl, work.Artifacts), now);
                var webhookId = WebhookIds.New();
                var sendNow = dispatcher.TryReserve(hook.Id, out var hookBusy);
                var id = await writes.InsertDeliveryAsync(webhookId, hook.Id, build.ProjectId, build.Id, nowMs, payload.Body,
                    payload.ContentType, sendNow ? dispatcher.Owner : null, sendNow ? leaseUntil : null, CancellationToken.None);
                created++;
                work.Deliveries++;
                if (!sendNow && !hookBusy)
                {
                    toClaim++;
                }

                hooksWithNew.Add(hook.Id);
                if (sendNow)
                {
                    handOff.Add(ClaimedDelivery.New(id, webhookId, hook, payload));
                }
            }
        }

        return (outcomes, toClaim, created);
    }

    private static async Task<BuildOutcome> RecordAsync(IBuildWriteBatch writes, BuildWork work, CancellationToken cancellationToken)
    {
        var build = work.Build;
        if (work.Finishing)
        {
            return await writes.FinishAsync(build, cancellationToken) ? BuildOutcome.Recorded : BuildOutcome.AlreadyFinished;
        }

        // Asked under the project's lock, so a build another node recorded with the key is found here, and the unique index
        // on (project_id, idempotency_key) never has to refuse this batch's insert (which would fail the whole batch's commit).
        if (build.IdempotencyKey is { } key && await writes.BuildWithKeyAsync(build.ProjectId, key, cancellationToken) is { } keyed)
        {
            work.KeyedBuildId = keyed;
            return BuildOutcome.KeyTaken;
        }

        if (work.RequestedNumber is { } number)
        {
            if (await writes.NumberTakenAsync(build.ProjectId, number, cancellationToken))
            {
                return BuildOutcome.NumberTaken;
            }

            build.Number = number;
        }
        else if (await writes.NextNumberAsync(build.ProjectId, cancellationToken) is { } next)
        {
            build.Number = next;
        }
        else
        {
            return BuildOutcome.NumberTaken;
        }

        await writes.InsertAsync(build, cancellationToken);
        return BuildOutcome.Recorded;
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "A batch of {Count} builds met a project changed by another node or an edit; writing it again")]
    private partial void LogConflict(Exception exception, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Recording a batch of {Count} builds failed; recording them one by one")]
    private partial void LogBatchFailed(Exception exception, int count);
}
