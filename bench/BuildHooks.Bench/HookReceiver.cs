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
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private WebApplication? _app;
    private DeliveryLog _log;

    private HookReceiver(DeliveryLog log) => _log = log;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Where deliveries are recorded from now on; the warm-up gets a log of its own.</summary>
    public DeliveryLog Log
    {
        get => Volatile.Read(ref _log);
        set => Volatile.Write(ref _log, value);
    }

    /// <summary>Where the ceiling flood goes: same work per request, but not counted as deliveries.</summary>
    public Uri CeilingUri => new(BaseAddress, "ceiling");

    public Uri HookUri(int n) => new(BaseAddress, $"hook/{n}");

    public static async Task<HookReceiver> StartAsync(DeliveryLog log, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var receiver = new HookReceiver(log);
        var app = builder.Build();
        app.MapPost("/hook/{n}", context => ReceiveAsync(context, receiver.Log, record: true));
        app.MapPost("/ceiling", context => ReceiveAsync(context, receiver.Log, record: false));
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver._app = app;
        receiver.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task ReceiveAsync(HttpContext context, DeliveryLog log, bool record)
    {
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
        if (record)
        {
            log.KeepSample(read.Buffer);
            log.Record(context.Request.Headers["webhook-id"], buildIndex, arrivedAt);
        }

        body.AdvanceTo(read.Buffer.End);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
