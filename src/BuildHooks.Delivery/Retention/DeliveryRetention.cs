using BuildHooks.Storage.Retention;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BuildHooks.Delivery.Retention;

/// <summary>
/// Keeps the database bounded: on a timer, deletes finished deliveries older than the retention with their
/// attempts, in small batches with a pause between them, so reports and attempt results keep the writer.
/// </summary>
public sealed partial class DeliveryRetention(IDeliveryPruner pruner, TimeProvider time, IOptions<RetentionOptions> options, ILogger<DeliveryRetention> logger) : BackgroundService
{
    private static readonly TimeSpan PauseBetweenBatches = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.EffectiveAge is not { } age || age <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.Interval, time);
        try
        {
            do
            {
                try
                {
                    var deleted = await PruneAsync(time.GetUtcNow() - age, settings.BatchSize, stoppingToken);
                    if (deleted > 0)
                    {
                        LogPruned(deleted, age);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPruneFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the next start carries on.
        }
    }

    private async Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        long afterId = 0;
        while (true)
        {
            var (lastId, deleted) = await pruner.PruneBatchAsync(afterId, cutoff, batchSize, cancellationToken);
            total += deleted;
            if (lastId is not { } last)
            {
                return total;
            }

            afterId = last;
            await Task.Delay(PauseBetweenBatches, time, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Deleted {Count} finished deliveries older than {Age} with their attempts")]
    private partial void LogPruned(int count, TimeSpan age);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Pruning old deliveries failed; trying again at the next interval")]
    private partial void LogPruneFailed(Exception exception);
}
