using System.Net;
using System.Net.Sockets;
using BuildHooks.Delivery.Network;

namespace BuildHooks.Delivery.Tests.Network;

// DNS rebinding: a name whose answer changes between the check and the connection. The resolver is injected (a
// hostile DNS server played in-process); the only connections ever opened go to the loopback listener.
public sealed class OutboundGuardRebindingTests
{
    [Fact]
    public async Task A_name_public_when_the_hook_is_saved_and_loopback_when_delivered_is_refused_at_connect_time()
    {
        await using var server = new LoopbackHttpServer();
        var answers = new Queue<IPAddress>([IPAddress.Parse("93.184.216.34"), IPAddress.Loopback]);
        var guard = new OutboundGuard(AllowedNetworks.None, (_, _) => Task.FromResult(new[] { answers.Dequeue() }));
        var url = new Uri($"http://rebind.example:{server.Port}/hook");

        // The check made when the hook is saved sees a public address and has nothing to warn about...
        Assert.Null(await guard.WarningForAsync(url, CancellationToken.None));

        // ...and the delivery, which resolves again, meets loopback and is refused before any socket exists.
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, UseProxy = false });
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));

        var blocked = BlockedAddressException.FindIn(ex);
        Assert.NotNull(blocked);
        Assert.Equal(IPAddress.Loopback, blocked.Address);
        Assert.Equal("rebind.example", blocked.Host);
        Assert.Contains("blocked address", blocked.Message, StringComparison.Ordinal);
        await Task.Delay(100);
        Assert.Equal(0, server.AcceptedConnections);
        Assert.Empty(answers);
    }

    [Fact]
    public async Task The_address_connected_to_is_the_address_that_was_checked()
    {
        await using var server = new LoopbackHttpServer();
        var checkedAddresses = new List<IPAddress>();
        var guard = new OutboundGuard(AllowedNetworks.Parse(["127.0.0.1"]), (_, _) =>
        {
            // Every later answer would be a blocked private address; only the first may be used.
            var answer = checkedAddresses.Count == 0 ? IPAddress.Loopback : IPAddress.Parse("10.0.0.1");
            checkedAddresses.Add(answer);
            return Task.FromResult(new[] { answer });
        });

        await using var stream = await guard.ConnectAsync(new DnsEndPoint("rebind.example", server.Port), CancellationToken.None);

        var socket = Assert.IsType<NetworkStream>(stream).Socket;
        Assert.Equal(new IPEndPoint(Assert.Single(checkedAddresses), server.Port), socket.RemoteEndPoint);
    }
}
