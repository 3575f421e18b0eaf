using BuildHooks.Delivery.Secrets;
using BuildHooks.Delivery.Sending;
using BuildHooks.Storage.Queue;
using BuildHooks.Storage.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BuildHooks.Delivery.Dispatching;

/// <summary>
/// Claims due deliveries in batches under a lease and sends each concurrently, at most
/// <see cref="DeliveryOptions.PerHookConcurrency"/> at a time per hook, fewer while the hook's receiver
/// does not answer (<see cref="HookGates.Gate"/>). Sleeps until woken by a
/// report, a freed slot or the next due retry: there is no polling on the happy path.
/// </summary>
public sealed partial class Dispatcher(
    IDeliveryQueue queue,
    HookSender sender,
    OutcomePlanner planner,
    AttemptWriter writer,
    DispatchSignal signal,
    SecretProtector secrets,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    DeliveryMetrics metrics,
    ILogger<Dispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly HookGates _gates = new(options.Value.PerHookConcurrency);
    private readonly CancellationTokenSource _abandon = new();
    private int _inFlight;
    private int _sending;
    private int _abandoned;
    private volatile bool _accepting;

    /// <summary>This node's name on the leases it holds.</summary>
    public string Owner => _owner;

    public TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);


    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveInFlight(() => Volatile.Read(ref _inFlight));
        if (await queue.ReleaseLeasesAsync(null, stoppingToken) is > 0 and var orphaned)
        {
            // A clean stop hands its leases back, so these were being sent when the process died: say so, since the
            // delivery log cannot (the cut-off attempt was never written) and the receivers may see them twice.
            LogOrphansResent(orphaned);
        }

        _accepting = true;
        var writing = writer.RunAsync(_owner, Recorded);
        var renewing = RenewLeasesAsync(stoppingToken);
        try
        {
            await DispatchAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal stop.
        }

        _accepting = false;
        await DrainAsync(writing);
        await renewing;
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var batchSize = options.Value.BatchSize;
        while (!stoppingToken.IsCancellationRequested)
        {
            var room = options.Value.MaxInFlight - Volatile.Read(ref _inFlight);
            if (room > 0)
            {
                var limit = Math.Min(room, batchSize);
                IReadOnlyList<ClaimedDelivery> claimed;
                try
                {
                    claimed = await queue.ClaimAsync(_owner, limit, _gates.Saturated(), Lease, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogClaimFailed(e);
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }

                ReportLapsedLeases(claimed);
                foreach (var delivery in claimed)
                {
                    Interlocked.Increment(ref _inFlight);
                    var gate = _gates.Enter(delivery.HookId);
                    ThreadPool.UnsafeQueueUserWorkItem(d => _ = SendAsync(d, gate), delivery, preferLocal: false);
                }

                if (claimed.Count == limit)
                {
                    continue;
                }
            }

            await signal.WaitAsync(await IdleTimeAsync(stoppingToken), stoppingToken);
        }
    }

    /// <summary>
    /// Reserves room for a new delivery that can be sent at once (this node running, memory and the
    /// hook's slots free). The intake then writes it already leased to <see cref="Owner"/> and hands it
    /// over with <see cref="Start"/>: on the happy path a delivery costs no claim at all. <paramref name="hookBusy"/>
    /// says the hook's slots were all taken: its next freed slot wakes the claims, so nothing else needs to.
    /// </summary>
    public bool TryReserve(long hookId, out bool hookBusy)
    {
        hookBusy = false;
        if (!_accepting)
        {
            return false;
        }

        if (Interlocked.Increment(ref _inFlight) <= options.Value.MaxInFlight)
        {
            if (_gates.TryEnter(hookId))
            {
                return true;
            }

            hookBusy = true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>Gives back a reservation whose delivery was not written.</summary>
    public void CancelReservation(long hookId)
    {
        _gates.Leave(hookId);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Sends a delivery reserved with <see cref="TryReserve"/> and written leased to this node.</summary>
    /// <remarks>Queued to the thread pool so the intake's commit loop never does the sending itself.</remarks>
    public void Start(ClaimedDelivery delivery) =>
        ThreadPool.UnsafeQueueUserWorkItem(d => _ = SendAsync(d, _gates.GateOf(d.HookId)), delivery, preferLocal: false);

    private async Task<TimeSpan> IdleTimeAsync(CancellationToken stoppingToken)
    {
        var next = await queue.NextDueAsync(_gates.Saturated(), stoppingToken);
        if (next is null)
        {
            return MaxIdle;
        }

        // Busy hooks are left out above: a freed slot wakes us for their rows.
        var wait = next.Value - time.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : (wait < MaxIdle ? wait : MaxIdle);
    }

    private async Task SendAsync(ClaimedDelivery delivery, HookGates.Gate gate)
    {
        var handedToWriter = false;
        var sending = false;
        try
        {
            await gate.EnterAsync(_abandon.Token);
            sending = true;
            Interlocked.Increment(ref _sending);
            bool? answered = null;
            try
            {
                var attemptNumber = delivery.AttemptCount + 1;
                var startedAt = time.GetUtcNow();
                var sent = await SendOrRefuseAsync(delivery, attemptNumber);
                // Any HTTP answer, even a 500, shows the receiver is there; no answer means it is not keeping up.
                answered = sent.StatusCode is not null;
                writer.Add(planner.Plan(delivery, sent, attemptNumber, startedAt));
                handedToWriter = true;
            }
            finally
            {
                Interlocked.Decrement(ref _sending);
                gate.Exit(answered);
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // Shutting down: the delivery's lease is released unattempted, so nothing is lost. One cut off while its
            // receiver had the request reaches it twice, though, and no log shows why: DrainAsync says how many.
            if (sending)
            {
                Interlocked.Increment(ref _abandoned);
            }
        }
        catch (Exception e)
        {
            LogSendCrashed(e, delivery.Id);
        }
        finally
        {
            var hookWasFull = _gates.Leave(delivery.HookId);
            // A result handed to the writer keeps its place in memory until it is written (see Recorded).
            var memoryWasFull = !handedToWriter && Interlocked.Decrement(ref _inFlight) + 1 >= options.Value.MaxInFlight;
            // Only a freed slot that claims were waiting for is worth a new claim; new work wakes us by itself.
            if (hookWasFull || memoryWasFull)
            {
                signal.Wake();
            }
        }
    }

    /// <summary>
    /// Frees the in-memory places of attempts once their results are committed. Until then a crash sends
    /// them again, so counting them keeps what a kill -9 can duplicate within <see cref="DeliveryOptions.MaxInFlight"/>.
    /// </summary>
    private void Recorded(int count)
    {
        if (Interlocked.Add(ref _inFlight, -count) + count >= options.Value.MaxInFlight)
        {
            signal.Wake();
        }
    }

    private async Task<SendResult> SendOrRefuseAsync(ClaimedDelivery d, int attemptNumber)
    {
        IReadOnlyList<string> signing;
        try
        {
            // Read per attempt: a retry after the rotation overlap has ended carries only the new signature.
            signing = secrets.ForSigning(d.Secret, d.PreviousSecret, d.PreviousSecretExpiresAtMs, time.GetUtcNow());
        }
        catch (SecretUnreadableException e)
        {
            // Unsigned deliveries are never sent; the attempt log says why, and retries follow once the secret is rotated.
            return new SendResult(false, null, "{}", null, null, TimeSpan.Zero, e.Message, null);
        }

        return await sender.SendAsync(new OutgoingRequest(
            d.WebhookId, d.Url, d.Payload, d.ContentType, signing,
            JsonColumn.Read<Dictionary<string, string>>(d.Headers),
            attemptNumber, TimeSpan.FromSeconds(d.TimeoutSeconds), AllowInsecureTls: d.AllowInsecureTls), _abandon.Token);
    }

    /// <summary>On stop: let in-flight attempts finish (within a grace period), write them, hand back the rest.</summary>
    private async Task DrainAsync(Task writing)
    {
        var deadline = time.GetUtcNow() + ShutdownGrace;
        while (Volatile.Read(ref _sending) > 0 && time.GetUtcNow() < deadline)
        {
            await Task.Delay(20);
        }

        await _abandon.CancelAsync();
        while (Volatile.Read(ref _inFlight) > 0)
        {
            await Task.Delay(10);
        }

        writer.Complete();
        await writing;
        await queue.ReleaseLeasesAsync(_owner, CancellationToken.None);
        if (Volatile.Read(ref _abandoned) is > 0 and var abandoned)
        {
            LogAbandoned(abandoned, ShutdownGrace.TotalSeconds);
        }
    }

    /// <summary>
    /// Says which node's deliveries this one takes over as their leases run out: that node died or stalled mid-attempt,
    /// its attempts were never recorded, and a receiver that had the request gets it again with the same webhook-id.
    /// </summary>
    private void ReportLapsedLeases(IReadOnlyList<ClaimedDelivery> claimed)
    {
        foreach (var lapsed in claimed.Where(d => d.LeaseRanOutFor is { } node && node != _owner).GroupBy(d => d.LeaseRanOutFor!))
        {
            LogLeasesTakenOver(lapsed.Count(), lapsed.Key);
        }
    }

    private async Task RenewLeasesAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await queue.RenewLeasesAsync(_owner, Lease, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Claiming due deliveries failed")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Sending delivery {DeliveryId} failed unexpectedly; its lease will expire and it will be sent again")]
    private partial void LogSendCrashed(Exception exception, long deliveryId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Renewing delivery leases failed")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Attempts cut off at shutdown, their receivers still not answering after the {GraceSeconds} s grace: {Count}. They were not recorded and are sent again when a server starts; a receiver that had the request gets it twice, with the same webhook-id")]
    private partial void LogAbandoned(int count, double graceSeconds);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Deliveries taken over from node {Node}, whose lease on them ran out (it stopped or stalled mid-attempt): {Count}. Its attempts were never recorded, so they are sent again now with the same webhook-id; a receiver may get some of them twice")]
    private partial void LogLeasesTakenOver(int count, string node);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Deliveries cut off when the server last stopped without finishing (a crash or kill -9): {Count}. Their attempts were never recorded, so they are sent again now with the same webhook-id; a receiver may get some of them twice")]
    private partial void LogOrphansResent(int count);
}
