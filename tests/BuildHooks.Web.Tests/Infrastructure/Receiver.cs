using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Web.Tests.Infrastructure;

/// <summary>
/// A real HTTP receiver on a free loopback port that counts requests and answers <see cref="Status"/> (200) with a
/// small JSON body; with a <see cref="Gate"/> set it holds each answer until the test opens it.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private Receiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public int Count => Volatile.Read(ref _count);

    public int Status { get; set; } = 200;

    public TaskCompletionSource? Gate { get; set; }

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await reader.ReadToEndAsync();
            if (receiver.Gate is { } gate)
            {
                await gate.Task;
            }

            var n = Interlocked.Increment(ref receiver._count);
            return Results.Json(new { received = true, request = n }, statusCode: receiver.Status);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/ci";
        return receiver;
    }

    public async Task WaitForAsync(int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} requests at the receiver, got {Count}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
