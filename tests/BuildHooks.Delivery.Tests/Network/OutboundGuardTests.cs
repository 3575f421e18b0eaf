using System.Net;
using System.Net.Sockets;
using BuildHooks.Delivery.Network;

namespace BuildHooks.Delivery.Tests.Network;

// Connections are only ever opened to 127.0.0.1/::1. Where a test needs a public or private
// answer from DNS it injects a resolver, and the guard refuses before any socket exists.
public sealed class OutboundGuardTests
{
    [Fact]
    public async Task Refuses_a_loopback_address_by_default_and_nothing_reaches_the_listener()
    {
        await using var server = new LoopbackHttpServer();
        using var client = CreateClient(new OutboundGuard(AllowedNetworks.None));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/hook")));

        var blocked = BlockedAddressException.FindIn(ex);
        Assert.NotNull(blocked);
        Assert.Equal(IPAddress.Loopback, blocked.Address);
        Assert.Equal("loopback", blocked.Reason);
        Assert.Equal(
            "Refused to connect to 127.0.0.1, a blocked address (loopback): add the network to BuildHooks:Delivery:AllowedNetworks to allow it.",
            blocked.Message);
        Assert.Equal(HttpRequestError.ConnectionError, ex.HttpRequestError);
        await Task.Delay(100);
        Assert.Equal(0, server.AcceptedConnections);
        Assert.False(server.HasPendingConnection);
    }

    [Fact]
    public async Task Connects_to_loopback_when_the_allowed_networks_contain_it()
    {
        await using var server = new LoopbackHttpServer();
        using var client = CreateClient(new OutboundGuard(AllowedNetworks.Parse(["127.0.0.0/8"])));

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/hook"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Refuses_a_name_that_resolves_to_loopback_and_names_the_host()
    {
        await using var server = new LoopbackHttpServer();
        using var client = CreateClient(new OutboundGuard(AllowedNetworks.None));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAsync(new Uri($"http://localhost:{server.Port}/hook")));

        var blocked = BlockedAddressException.FindIn(ex);
        Assert.NotNull(blocked);
        Assert.Equal("localhost", blocked.Host);
        Assert.Equal("loopback", blocked.Reason);
        Assert.Matches(
            @"^Refused to connect to (127\.0\.0\.1|::1), a blocked address \(loopback\) for host localhost: add the network to BuildHooks:Delivery:AllowedNetworks to allow it\.$",
            blocked.Message);
        await Task.Delay(100);
        Assert.Equal(0, server.AcceptedConnections);
        Assert.False(server.HasPendingConnection);
    }

    [Fact]
    public async Task Connects_to_a_name_that_resolves_to_loopback_when_allowed()
    {
        await using var server = new LoopbackHttpServer();
        // localhost may resolve to ::1 as well, and every answer must be allowed.
        using var client = CreateClient(new OutboundGuard(AllowedNetworks.Parse(["127.0.0.0/8", "::1"])));

        using var response = await client.GetAsync(new Uri($"http://localhost:{server.Port}/hook"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Theory]
    [InlineData("127.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("0177.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task Refuses_obfuscated_spellings_of_loopback(string spelling)
    {
        await using var server = new LoopbackHttpServer();
        using var client = CreateClient(new OutboundGuard(AllowedNetworks.None, NoDns));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetAsync(new Uri($"http://{spelling}:{server.Port}/")));

        Assert.Equal("loopback", BlockedAddressException.FindIn(ex)?.Reason);
        Assert.Equal(0, server.AcceptedConnections);
    }

    [Fact]
    public async Task Refuses_ipv6_loopback_literal()
    {
        using var client = CreateClient(new OutboundGuard(AllowedNetworks.None, NoDns));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://[::1]:9/")));

        var blocked = BlockedAddressException.FindIn(ex);
        Assert.Equal(IPAddress.IPv6Loopback, blocked?.Address);
    }

    [Fact]
    public async Task Refuses_when_any_resolved_address_is_blocked_even_if_another_is_public()
    {
        var guard = new OutboundGuard(AllowedNetworks.None, Resolver("mixed.example", "8.8.8.8", "10.0.0.5"));
        using var client = CreateClient(guard);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://mixed.example/")));

        var blocked = BlockedAddressException.FindIn(ex);
        Assert.NotNull(blocked);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), blocked.Address);
        Assert.Equal("private", blocked.Reason);
        Assert.Equal("mixed.example", blocked.Host);
    }

    [Fact]
    public async Task Refuses_the_cloud_metadata_address_behind_a_name()
    {
        var guard = new OutboundGuard(AllowedNetworks.Parse(["10.0.0.0/8"]), Resolver("metadata.example", "169.254.169.254"));

        var ex = await Assert.ThrowsAsync<BlockedAddressException>(
            async () => await guard.ConnectAsync(new DnsEndPoint("metadata.example", 80), CancellationToken.None));

        Assert.Equal("cloud metadata", ex.Reason);
        Assert.Equal(
            "Refused to connect to 169.254.169.254, a blocked address (cloud metadata) for host metadata.example: add the network to BuildHooks:Delivery:AllowedNetworks to allow it.",
            ex.Message);
    }

    [Fact]
    public async Task Classifies_an_ipv4_mapped_dns_answer_as_ipv4()
    {
        var guard = new OutboundGuard(AllowedNetworks.None, Resolver("mapped.example", "::ffff:192.168.0.10"));

        var ex = await Assert.ThrowsAsync<BlockedAddressException>(
            async () => await guard.ConnectAsync(new DnsEndPoint("mapped.example", 80), CancellationToken.None));

        Assert.Equal(IPAddress.Parse("192.168.0.10"), ex.Address);
        Assert.Equal("private", ex.Reason);
    }

    [Fact]
    public async Task Connects_to_the_address_it_checked_without_resolving_again()
    {
        // A rebinding DNS server answers the check with one address and the connect with
        // another; the guard must ask once per connection and use that answer.
        await using var server = new LoopbackHttpServer();
        var lookups = 0;
        var guard = new OutboundGuard(
            AllowedNetworks.Parse(["127.0.0.1"]),
            (host, _) => Task.FromResult(Interlocked.Increment(ref lookups) == 1
                ? new[] { IPAddress.Loopback }
                : new[] { IPAddress.Parse("10.0.0.1") }));
        using var client = CreateClient(guard);

        using var response = await client.GetAsync(new Uri($"http://rebind.example:{server.Port}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, lookups);
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Returns_a_stream_that_owns_a_no_delay_socket()
    {
        await using var server = new LoopbackHttpServer();
        var guard = new OutboundGuard(AllowedNetworks.Parse(["127.0.0.0/8"]));

        var stream = await guard.ConnectAsync(new DnsEndPoint("127.0.0.1", server.Port), CancellationToken.None);

        var networkStream = Assert.IsType<NetworkStream>(stream);
        var socket = networkStream.Socket;
        Assert.True(socket.NoDelay);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, server.Port), socket.RemoteEndPoint);
        await stream.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => socket.Available);
    }

    [Fact]
    public async Task Reports_name_resolution_failure_as_a_socket_error_not_a_refusal()
    {
        var guard = new OutboundGuard(AllowedNetworks.None, (_, _) => Task.FromResult(Array.Empty<IPAddress>()));
        using var client = CreateClient(guard);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://nowhere.example/")));

        Assert.Null(BlockedAddressException.FindIn(ex));
        Assert.Equal(HttpRequestError.NameResolutionError, ex.HttpRequestError);
    }

    [Fact]
    public async Task Warns_about_a_blocked_ip_literal()
    {
        var warning = await OutboundGuard.WarningForAsync(new Uri("http://0x7f000001:8080/hook"), AllowedNetworks.None, CancellationToken.None);

        Assert.Equal(
            "127.0.0.1 is blocked (loopback); deliveries will be refused unless the network is added to BuildHooks:Delivery:AllowedNetworks.",
            warning);
    }

    [Fact]
    public async Task Warns_about_a_name_that_currently_resolves_to_a_blocked_address()
    {
        var guard = new OutboundGuard(AllowedNetworks.None, Resolver("intranet.example", "172.20.1.1"));

        var warning = await guard.WarningForAsync(new Uri("https://intranet.example/hook"), CancellationToken.None);

        Assert.Equal(
            "intranet.example currently resolves to 172.20.1.1, which is blocked (private); deliveries will be refused unless the network is added to BuildHooks:Delivery:AllowedNetworks.",
            warning);
    }

    [Fact]
    public async Task Warns_about_localhost()
    {
        var warning = await OutboundGuard.WarningForAsync(new Uri("http://localhost/hook"), AllowedNetworks.None, CancellationToken.None);

        Assert.NotNull(warning);
        Assert.StartsWith("localhost currently resolves to ", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://8.8.8.8/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    [InlineData("http://10.1.2.3/hook")]
    public async Task Does_not_warn_about_public_or_allowed_addresses(string url)
    {
        var warning = await OutboundGuard.WarningForAsync(new Uri(url), AllowedNetworks.Parse(["10.0.0.0/8"]), CancellationToken.None);

        Assert.Null(warning);
    }

    [Fact]
    public async Task Does_not_warn_when_the_name_does_not_resolve()
    {
        var guard = new OutboundGuard(
            AllowedNetworks.None,
            (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));

        var warning = await guard.WarningForAsync(new Uri("https://not-yet-registered.example/hook"), CancellationToken.None);

        Assert.Null(warning);
    }

    private static HttpClient CreateClient(OutboundGuard guard) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = guard.ConnectAsync,
            // An ambient HTTP_PROXY would make the guard check the proxy instead of the target.
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(string name, params string[] addresses) =>
        (host, _) => host == name
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));

    // For literals the guard must not consult DNS at all.
    private static Task<IPAddress[]> NoDns(string host, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Unexpected DNS lookup of {host}.");
}
