using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Testing;

/// <summary>A real HTTP receiver on a free loopback port that records every request and answers as told, for hooks to deliver to.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _next;

    private Receiver(WebApplication app)
    {
        _app = app;
        Respond = AnswerAsync;
    }

    public string Url { get; private set; } = "";

    /// <summary>The status of the default answer; 200 unless the test changes it.</summary>
    public int Status { get; set; } = 200;

    /// <summary>While set, each answer waits until the test completes it (the request is recorded when it arrives).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Decides the answer to the n-th request (0-based); by default <see cref="Status"/> with <c>{"received":true,"request":n+1}</c>.</summary>
    public Func<ReceivedRequest, int, Task<IResult>> Respond { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public int Count => _requests.Count;

    /// <summary>Starts a receiver; <see cref="Url"/> is its address followed by <paramref name="path"/>.</summary>
    public static async Task<Receiver> StartAsync(string path = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Map("/{**path}", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = BoundAddress.Of(app) + path;
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
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        return await Respond(request, index);
    }

    private Task<IResult> AnswerAsync(ReceivedRequest request, int index) =>
        Task.FromResult(Results.Json(new { received = true, request = index + 1 }, statusCode: Status));

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (_requests.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"Expected {count} requests at the receiver, got {_requests.Count}.");
            await _arrived.WaitAsync(left);
        }

        return Requests;
    }

    /// <summary>The request after the one this returned last (the first at first), waiting for it as <see cref="WaitForAsync"/> does.</summary>
    public async Task<ReceivedRequest> NextAsync(int seconds = 20)
    {
        var requests = await WaitForAsync(_next + 1, seconds);
        return requests[_next++];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
