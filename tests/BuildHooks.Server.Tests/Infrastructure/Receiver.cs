using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Server.Tests.Infrastructure;

/// <summary>A real HTTP receiver on a free loopback port that records every request and answers as told.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private Receiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Decides the answer to the n-th request (0-based); 200 by default.</summary>
    public Func<ReceivedRequest, int, Task<IResult>> Respond { get; set; } = (_, _) => Task.FromResult(Results.Ok("ok"));

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Map("/{**path}", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(),
            context.Request.HasFormContentType
                ? QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.ToArray())).ToDictionary(f => f.Key, f => f.Value.ToString())
                : null);
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Enqueue(request);
        }

        _arrived.Release();
        return await Respond(request, index);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (_requests.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"Expected {count} requests, got {_requests.Count}.");
            await _arrived.WaitAsync(left);
        }

        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
