using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Cli.Tests.Infrastructure;

/// <summary>A real webhook receiver on loopback that keeps every JSON body it gets.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<JsonElement> _payloads = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private WebApplication _app = null!;

    public string Url { get; private set; } = "";

    public static async Task<Receiver> StartAsync()
    {
        var receiver = new Receiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        receiver._app = builder.Build();
        receiver._app.MapPost("/{**path}", async (HttpContext context) =>
        {
            // Magnum's default travels as a form (payload=<json>); the rest as JSON.
            var json = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync()).TryGetValue("payload", out var payload) ? payload.ToString() : "{}"
                : await new StreamReader(context.Request.Body).ReadToEndAsync();
            receiver._payloads.Enqueue(JsonDocument.Parse(json).RootElement.Clone());
            receiver._arrived.Release();
            return Results.Text("thanks from the receiver");
        });
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    /// <summary>The next payload, waiting up to 20 s for it.</summary>
    public async Task<JsonElement> NextAsync()
    {
        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(20)), "The receiver got no delivery within 20 s.");
        Assert.True(_payloads.TryDequeue(out var payload));
        return payload;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
