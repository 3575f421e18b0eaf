using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BuildHooks.Bench;

/// <summary>
/// The loopback webhook receiver: in-process Kestrel on 127.0.0.1 over HTTP/1.1 (what the server's
/// sender speaks to plain-http receivers). It answers 200 as soon as the body is in, reading it from
/// Kestrel's pooled pipe buffers without copying, so that it is never the bottleneck it measures.
/// For the isolation run it also plays broken receivers: <c>/hang/n</c> never answers, <c>/fail/n</c> answers 500.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    // Releases the requests held open at /hang, so that stopping the receiver never waits on them.
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private DeliveryLog _log;

    private HookReceiver(DeliveryLog log) => _log = log;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// A second port for the hanging and failing hooks. The server pools connections per origin (at most 256 each);
    /// a broken receiver is another host in real life, so its held-open requests must not take the healthy hooks' connections.
    /// </summary>
    public Uri BrokenAddress { get; private set; } = null!;

    /// <summary>Where deliveries are recorded from now on; the warm-up gets a log of its own.</summary>
    public DeliveryLog Log
    {
        get => Volatile.Read(ref _log);
        set => Volatile.Write(ref _log, value);
    }

    /// <summary>Where the ceiling flood goes: same work per request, but not counted as deliveries.</summary>
    public Uri CeilingUri => new(BaseAddress, "ceiling");

    public Uri HookUri(int n) => HookUri(n, HookBehaviour.Healthy);

    public Uri HookUri(int n, HookBehaviour behaviour) => behaviour switch
    {
        HookBehaviour.Hanging => new(BrokenAddress, $"hang/{n}"),
        HookBehaviour.Failing => new(BrokenAddress, $"fail/{n}"),
        _ => new(BaseAddress, $"hook/{n}"),
    };

    public static async Task<HookReceiver> StartAsync(DeliveryLog log, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var receiver = new HookReceiver(log);
        var app = builder.Build();
        app.MapPost("/hook/{n}", context => receiver.ReceiveAsync(context, HookBehaviour.Healthy, record: true));
        app.MapPost("/hang/{n}", context => receiver.ReceiveAsync(context, HookBehaviour.Hanging, record: true));
        app.MapPost("/fail/{n}", context => receiver.ReceiveAsync(context, HookBehaviour.Failing, record: true));
        app.MapPost("/ceiling", context => receiver.ReceiveAsync(context, HookBehaviour.Healthy, record: false));
        await app.StartAsync(ct);

        // Both ports serve every path; which one is which does not matter.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a.TrimEnd('/') + "/")).ToList();
        receiver._app = app;
        receiver.BaseAddress = addresses[0];
        receiver.BrokenAddress = addresses[1];
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task ReceiveAsync(HttpContext context, HookBehaviour behaviour, bool record)
    {
        var log = Log;
        var body = context.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await body.ReadAsync(context.RequestAborted);
            if (read.IsCompleted)
            {
                break;
            }

            // Leave everything buffered until the whole body is in: it is small, and parsing once is cheaper.
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var arrivedAt = Stopwatch.GetTimestamp();
        var buildIndex = StandardPayloadReader.BuildIndex(read.Buffer, log.Shas);
        if (behaviour != HookBehaviour.Healthy)
        {
            body.AdvanceTo(read.Buffer.End);
            log.RecordUnhealthy(behaviour, context.Request.Headers["webhook-id"], buildIndex);
            await MisbehaveAsync(context, behaviour);
            return;
        }

        if (record)
        {
            log.KeepSample(read.Buffer);
            log.Record(context.Request.Headers["webhook-id"], buildIndex, arrivedAt);
        }

        body.AdvanceTo(read.Buffer.End);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task MisbehaveAsync(HttpContext context, HookBehaviour behaviour)
    {
        if (behaviour == HookBehaviour.Failing)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        // Held until the server gives up (its timeout closes the connection) or the receiver stops.
        using var released = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, released.Token);
        }
        catch (OperationCanceledException)
        {
            // The point of this path: nobody is waiting for an answer any more.
        }
    }
}
