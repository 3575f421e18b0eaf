using System.Threading.Channels;
using BuildHooks.Storage.Queue;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Delivery.Dispatching;

/// <summary>
/// Collects attempt results from all senders and writes them in batches: one transaction for
/// whatever has arrived since the last write, so the database cost per attempt falls as load rises.
/// </summary>
public sealed partial class AttemptWriter(IDeliveryQueue queue, DispatchSignal signal, HookActivity activity, DeliveryMetrics metrics, ILogger<AttemptWriter> logger)
{
    private const int MaxBatch = 1000;
    private readonly Channel<AttemptResult> _results = Channel.CreateUnbounded<AttemptResult>(new UnboundedChannelOptions { SingleReader = true });

    public void Add(AttemptResult result) => _results.Writer.TryWrite(result);

    public void Complete() => _results.Writer.TryComplete();

    /// <summary>
    /// Runs until <see cref="Complete"/> and everything written; a failed write is retried, never dropped.
    /// <paramref name="recorded"/> is told how many results each committed batch held.
    /// </summary>
    public async Task RunAsync(string owner, Action<int> recorded)
    {
        var batch = new List<AttemptResult>(MaxBatch);
        while (await _results.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _results.Reader.TryRead(out var result))
            {
                batch.Add(result);
            }

            for (var delay = TimeSpan.FromMilliseconds(100); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks)))
            {
                try
                {
                    await queue.CompleteAsync(owner, batch, CancellationToken.None);
                    recorded(batch.Count);
                    metrics.Attempted(batch);
                    break;
                }
                catch (Exception e)
                {
                    // Until it is written the lease protects the rows; if this node dies, they are sent again (at least once).
                    LogWriteFailed(e, batch.Count);
                    await Task.Delay(delay);
                }
            }

            // A retry may now be due sooner than the dispatcher's next look; otherwise there is nothing new to claim.
            if (batch.Exists(r => r.NewStatus == Core.Model.DeliveryStatus.Pending))
            {
                signal.Wake();
            }

            // Open delivery logs read the new attempts now instead of at their next slow look.
            foreach (var hookId in batch.Select(r => r.HookId).Distinct())
            {
                activity.Touch(hookId);
            }

            batch.Clear();
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Writing {Count} attempt results failed; retrying")]
    private partial void LogWriteFailed(Exception exception, int count);
}
