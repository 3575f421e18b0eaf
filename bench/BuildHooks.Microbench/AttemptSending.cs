using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BuildHooks.Delivery;
using BuildHooks.Delivery.Network;
using BuildHooks.Delivery.Sending;
using Microsoft.Extensions.Options;

namespace BuildHooks.Microbench;

/// <summary>
/// One attempt through <see cref="HookSender"/> over loopback: the signed request and its headers, the logged request
/// and response headers (redacted), the response body; and, for a refused connection, the error text.
/// </summary>
[MemoryDiagnoser]
public class AttemptSending
{
    private readonly LoopbackReceiver _receiver = new();

    // Bound but never listening, so that every connection to it is refused at once.
    private readonly Socket _closedPort = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    private HookSender _sender = null!;
    private OutgoingRequest _answered = null!;
    private OutgoingRequest _refused = null!;

    [GlobalSetup]
    public void Setup()
    {
        _closedPort.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var guard = new OutboundGuard(AllowedNetworks.Parse(["127.0.0.0/8"]));
        _sender = new HookSender(guard, TimeProvider.System, Options.Create(new DeliveryOptions()));
        _answered = Request(_receiver.Port);
        _refused = Request(((IPEndPoint)_closedPort.LocalEndPoint!).Port);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _closedPort.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<SendResult> Answered_200() => _sender.SendAsync(_answered, CancellationToken.None);

    [Benchmark]
    public Task<SendResult> Connection_refused() => _sender.SendAsync(_refused, CancellationToken.None);

    private static OutgoingRequest Request(int port)
    {
        var hook = Sample.Hook();
        return new OutgoingRequest(Sample.WebhookId, $"http://127.0.0.1:{port}/ci/builds?team=mobile&token=s3cr3t", Sample.StandardBody(),
            "application/json", [Sample.Secret], hook.Headers, AttemptNumber: 1, TimeSpan.FromSeconds(hook.TimeoutSeconds));
    }
}
