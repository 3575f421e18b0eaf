using BenchmarkDotNet.Attributes;
using BuildHooks.Core;
using BuildHooks.Delivery.Dispatching;
using BuildHooks.Delivery.Sending;
using BuildHooks.Storage.Queue;

namespace BuildHooks.Microbench;

/// <summary>Turning what came back into the attempt log row and the delivery's next state, with the hook URL redacted.</summary>
[MemoryDiagnoser]
public class AttemptPlanning
{
    private const string RequestHeaders = """{"Content-Type":"application/json","User-Agent":"BuildHooks/0.1.0","webhook-id":"msg_0198c3a5b2e47c21a0f3d58e9b6a4c10"}""";

    private readonly OutcomePlanner _planner = new(new RetryPolicy(), TimeProvider.System);
    private readonly ClaimedDelivery _delivery = ClaimedDelivery.New(1, Sample.WebhookId, Sample.Hook(), new([], "application/json"));

    private readonly SendResult _succeeded = new(true, 200, RequestHeaders, """{"Content-Type":"text/plain"}""", "ok",
        TimeSpan.FromMilliseconds(3), null, null);

    private readonly SendResult _failed = new(false, 503, RequestHeaders, """{"Content-Type":"text/plain"}""", "busy",
        TimeSpan.FromMilliseconds(3), null, null);

    [Benchmark(Baseline = true)]
    public AttemptResult Succeeded() => _planner.Plan(_delivery, _succeeded, 1, Sample.Now);

    [Benchmark]
    public AttemptResult Retry_later() => _planner.Plan(_delivery, _failed, 1, Sample.Now);
}
