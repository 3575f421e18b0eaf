using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>A loopback receiver for bursts: answers 200 (the default status) at once and counts arrivals per <c>webhook-id</c>.</summary>
public sealed class CountingReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _total;
    private TaskCompletionSource _open = Opened();

    private CountingReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Arrivals per webhook-id: more than one is a duplicate.</summary>
    public ConcurrentDictionary<string, int> ById { get; } = new(StringComparer.Ordinal);

    public long Total => Interlocked.Read(ref _total);

    public long Duplicates => Total - ById.Count;

    /// <summary>From now on requests are counted but not answered until <see cref="Release"/>: a burst piles up behind it.</summary>
    public void Hold() => Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Release() => Volatile.Read(ref _open).TrySetResult();

    public static async Task<CountingReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new CountingReceiver(app);
        app.MapPost("/{**path}", receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.Url = BoundAddress.Of(app).TrimEnd('/');
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        var id = context.Request.Headers["webhook-id"].ToString();
        ById.AddOrUpdate(id, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
        await Volatile.Read(ref _open).Task.WaitAsync(context.RequestAborted);
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
