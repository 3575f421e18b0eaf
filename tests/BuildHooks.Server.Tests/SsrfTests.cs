using System.Net;
using System.Net.Sockets;
using BuildHooks.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Server-side request forgery through the real server: hooks pointed at loopback in every spelling, with a real
/// receiver listening there. Only loopback is ever connected to; the other blocked ranges are unit tests of the
/// address classifier (BuildHooks.Delivery.Tests), which never open a connection.
/// </summary>
public sealed class SsrfTests
{
    private static readonly string[] Spellings =
        ["127.0.0.1", "127.1", "0x7f000001", "2130706433", "0177.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "localhost"];

    [Fact]
    public async Task With_the_default_rules_no_loopback_spelling_reaches_the_receiver_and_the_log_says_blocked_address()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            // The test harness opens loopback for its receivers; blank entries put the default (nothing allowed) back.
            ["BuildHooks:Delivery:AllowedNetworks:0"] = "",
            ["BuildHooks:Delivery:AllowedNetworks:1"] = "",
        });

        var deliveries = await DeliverToEverySpellingAsync(server, receiver.Port);

        foreach (var (spelling, deliveryId) in deliveries)
        {
            var delivery = await server.WaitUntilFailedAsync(deliveryId);
            var error = Assert.Single(delivery.Attempts()).Error();
            Assert.True(error?.Contains("blocked address", StringComparison.Ordinal) == true, $"{spelling}: {error}");
            Assert.Contains("loopback", error, StringComparison.Ordinal);
        }

        Assert.Equal(0, receiver.Requests);
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task With_loopback_in_allowed_networks_every_spelling_arrives()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var server = await BuildHooksServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["BuildHooks:Delivery:AllowedNetworks:0"] = "127.0.0.0/8",
            ["BuildHooks:Delivery:AllowedNetworks:1"] = "::1",
        });

        var deliveries = await DeliverToEverySpellingAsync(server, receiver.Port);

        foreach (var (spelling, deliveryId) in deliveries)
        {
            var delivery = await server.WaitForDeliveryAsync(deliveryId, d => d.Str("status") != "pending");
            Assert.True(delivery.Str("status") == "succeeded", $"{spelling}: {delivery}");
        }

        Assert.Equal(Spellings.Length, receiver.Requests);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:70/_hook")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/plain,hook")]
    [InlineData("ws://127.0.0.1/hook")]
    [InlineData("dict://127.0.0.1:11211/stat")]
    public async Task Schemes_other_than_http_and_https_are_refused_when_the_hook_is_created_and_changed(string url)
    {
        await using var server = await BuildHooksServer.StartAsync();
        var (projectId, _) = await server.CreateProjectAsync("schemes");
        var hookId = (await server.CreateHookAsync(projectId, new { url = "http://127.0.0.1:9/hook" })).Id();

        using var created = await server.Admin.SendJsonAsync(HttpMethod.Post, $"/api/projects/{projectId}/hooks", new { url });
        await ApiProblemAssert.IsInvalidFieldAsync(created, "url", "http or https");
        using var changed = await server.Admin.SendJsonAsync(HttpMethod.Patch, $"/api/projects/{projectId}/hooks/{hookId}", new { url });
        await ApiProblemAssert.IsInvalidFieldAsync(changed, "url", "http or https");

        Assert.Single((await server.GetAsync($"/api/projects/{projectId}/hooks")).EnumerateArray());
        Assert.Equal("http://127.0.0.1:9/hook", (await server.GetAsync($"/api/projects/{projectId}/hooks/{hookId}")).Str("url"));
    }

    /// <summary>One hook per spelling in one project, one build: returns each spelling's delivery.</summary>
    private static async Task<List<(string Spelling, long DeliveryId)>> DeliverToEverySpellingAsync(BuildHooksServer server, int port)
    {
        var (projectId, _) = await server.CreateProjectAsync("ssrf");
        var hooks = new List<(string, long)>();
        foreach (var spelling in Spellings)
        {
            hooks.Add((spelling, (await server.CreateHookAsync(projectId, new { url = $"http://{spelling}:{port}/hook", max_attempts = 1 })).Id()));
        }

        await server.ReportBuildAsync(projectId);
        var deliveries = new List<(string, long)>();
        foreach (var (spelling, hookId) in hooks)
        {
            deliveries.Add((spelling, Assert.Single(await server.OfHookAsync(hookId)).Id()));
        }

        return deliveries;
    }

    /// <summary>A receiver on 127.0.0.1 and ::1 at the same port that counts connections and requests.</summary>
    private sealed class LoopbackReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;
        private int _connections;

        private LoopbackReceiver(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }
        public int Requests => Volatile.Read(ref _requests);
        public int Connections => Volatile.Read(ref _connections);

        public static async Task<LoopbackReceiver> StartAsync()
        {
            var port = FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            LoopbackReceiver? receiver = null;
            builder.WebHost.ConfigureKestrel(k =>
            {
                foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
                {
                    k.Listen(address, port, listen => listen.Use(next => connection =>
                    {
                        Interlocked.Increment(ref receiver!._connections);
                        return next(connection);
                    }));
                }
            });
            var app = builder.Build();
            receiver = new LoopbackReceiver(app, port);
            app.Map("/{**path}", () =>
            {
                Interlocked.Increment(ref receiver._requests);
                return Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
