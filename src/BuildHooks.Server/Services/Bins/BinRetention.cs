using BuildHooks.Storage.Retention;
using Microsoft.Extensions.Options;

namespace BuildHooks.Server.Services.Bins;

/// <summary>
/// Deletes expired bins with their captures on a timer, in small batches with a pause between them, so the
/// writer stays free for deliveries (the same rhythm as DeliveryRetention).
/// </summary>
public sealed partial class BinRetention(IServiceScopeFactory scopes, TimeProvider time, IOptions<BinOptions> options, ILogger<BinRetention> logger) : BackgroundService
{
    private static readonly TimeSpan PauseBetweenBatches = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.PruneInterval > TimeSpan.Zero ? settings.PruneInterval : TimeSpan.FromMinutes(5), time);
        try
        {
            do
            {
                try
                {
                    var deleted = await PruneAsync(Math.Max(1, settings.PruneBatchSize), stoppingToken);
                    if (deleted > 0)
                    {
                        LogPruned(deleted);
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

    private async Task<int> PruneAsync(int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            int deleted;
            await using (var scope = scopes.CreateAsyncScope())
            {
                deleted = await scope.ServiceProvider.GetRequiredService<BinPruner>().PruneBatchAsync(time.GetUtcNow(), batchSize, cancellationToken);
            }

            if (deleted == 0)
            {
                return total;
            }

            total += deleted;
            await Task.Delay(PauseBetweenBatches, time, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Deleted {Count} rows of expired request bins and their captures")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Pruning expired request bins failed; trying again at the next interval")]
    private partial void LogPruneFailed(Exception exception);
}
