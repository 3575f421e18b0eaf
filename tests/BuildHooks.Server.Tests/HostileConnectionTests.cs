using System.Net;
using System.Net.Sockets;
using System.Text;
using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>Receivers that break the connection or the protocol: each failure is logged in plain words and retried.</summary>
public sealed class HostileConnectionTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task Port_with_nothing_listening_is_logged_as_refused_and_retried()
    {
        var server = fixture.Server;
        var port = FreePort();

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync($"http://127.0.0.1:{port}/hook");

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, $"Connection refused by 127.0.0.1:{port}");
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/pl")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhalf a bo")]
    public async Task Receiver_that_resets_mid_response_is_logged_and_retried(string partialResponse)
    {
        var server = fixture.Server;
        await using var receiver = RawReceiver.Start(async (socket, ct) =>
        {
            await RawReceiver.ReadRequestAsync(socket, ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes(partialResponse), ct);
            // Linger 0 makes Close send RST instead of FIN: the connection dies, not ends.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        });

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "Connection ");
        Assert.All(delivery.Attempts(), a => Assert.Contains("127.0.0.1", a.Error(), StringComparison.Ordinal));
        Assert.True(receiver.Accepted >= 2, $"Each attempt opens a new connection; got {receiver.Accepted}.");
    }

    [Fact]
    public async Task Receiver_that_closes_mid_body_is_logged_and_retried()
    {
        var server = fixture.Server;
        await using var receiver = RawReceiver.Answering("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhalf a bo");

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "127.0.0.1");
        // The receiver did answer 200: the log says so, rather than look like a receiver that never answered.
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "; it had answered 200, and its body did not finish arriving");
    }

    [Fact]
    public async Task Receiver_that_never_answers_times_out_after_the_hooks_timeout_and_is_retried()
    {
        var server = fixture.Server;
        await using var receiver = RawReceiver.Hanging();

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url, timeoutSeconds: 1);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "Timed out after 1 s");
        AssertLastedAboutTheTimeout(delivery, TimeSpan.FromSeconds(1));
        Assert.Equal(2, receiver.Accepted);
    }

    [Fact]
    public async Task Body_trickled_slower_than_the_timeout_times_out_and_is_retried()
    {
        var server = fixture.Server;
        await using var receiver = RawReceiver.Start(async (socket, ct) =>
        {
            await RawReceiver.ReadRequestAsync(socket, ct);
            await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"u8.ToArray(), ct);
            for (var i = 0; i < 100; i++)
            {
                await Task.Delay(300, ct);
                await socket.SendAsync("x"u8.ToArray(), ct);
            }
        });

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url, timeoutSeconds: 1);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "Timed out after 1 s");
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "; it had answered 200, and its body did not finish arriving");
        AssertLastedAboutTheTimeout(delivery, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("HELLO\r\n\r\n")]
    [InlineData("HTTP/1.1 abc\r\n\r\n")]
    [InlineData("\u0001\u0002\u001b[31m binary \u0000 garbage\r\n\r\n")]
    public async Task Garbage_instead_of_a_status_line_is_logged_as_invalid_http_and_retried(string answer)
    {
        var server = fixture.Server;
        await using var receiver = RawReceiver.Answering(answer);

        var (_, _, deliveryId) = await server.DeliverOneBuildAsync(receiver.Url);

        var delivery = await server.WaitUntilFailedAsync(deliveryId);
        HostileScenario.AssertRetriedNetworkFailure(delivery, attempts: 2, "Invalid HTTP response from 127.0.0.1");
    }

    private static void AssertLastedAboutTheTimeout(System.Text.Json.JsonElement delivery, TimeSpan timeout)
    {
        foreach (var attempt in delivery.Attempts())
        {
            var ms = attempt.DurationMs();
            // Never cut short, and never held much beyond the timeout (the upper margin is for a loaded machine).
            Assert.InRange(ms, timeout.TotalMilliseconds - 50, timeout.TotalMilliseconds + 2000);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
