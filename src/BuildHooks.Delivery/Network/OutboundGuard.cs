using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace BuildHooks.Delivery.Network;

/// <summary>
/// Opens the TCP connections for webhook deliveries, refusing addresses that
/// <see cref="AddressClassifier"/> blocks unless <see cref="AllowedNetworks"/> allows them.
/// Plug <see cref="ConnectAsync(SocketsHttpConnectionContext, CancellationToken)"/> into
/// <see cref="SocketsHttpHandler.ConnectCallback"/>.
/// </summary>
/// <remarks>
/// <para>
/// Checking at connect time rather than when a hook is saved is what makes this hold: the guard
/// resolves the host itself, checks the addresses, and connects to the address it checked. A
/// check-then-let-HttpClient-resolve design would resolve twice, and a hostile DNS server can
/// answer the second lookup differently (DNS rebinding). Redirects, if ever followed, go
/// through the same callback and are checked too.
/// </para>
/// <para>
/// If the handler uses a proxy, the callback connects to the proxy, so the proxy's address is
/// what gets checked, not the hook's. Delivery handlers should set
/// <see cref="SocketsHttpHandler.UseProxy"/> to false (an ambient HTTP_PROXY variable would
/// otherwise switch the guard's target silently), or the proxy must do its own filtering.
/// </para>
/// </remarks>
public sealed class OutboundGuard
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public OutboundGuard(AllowedNetworks allowedNetworks)
        : this(allowedNetworks, resolver: null)
    {
    }

    /// <param name="allowedNetworks">Networks to allow despite the classifier.</param>
    /// <param name="resolver">
    /// Resolves a host name to addresses; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>
    /// when null. Replaceable so that tests can play a hostile DNS server without one.
    /// </param>
    public OutboundGuard(AllowedNetworks allowedNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolver)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        AllowedNetworks = allowedNetworks;
        _resolve = resolver ?? Dns.GetHostAddressesAsync;
    }

    public AllowedNetworks AllowedNetworks { get; }

    /// <summary>This server's own request bins, which deliveries may reach whatever the address (see the class of the same name).</summary>
    public OwnBins? OwnBins { get; init; }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the request's host, refuses
    /// with <see cref="BlockedAddressException"/> if any address is blocked, otherwise connects.
    /// </summary>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Only a connection opened for a request to one of this server's bins skips the check. The bin answers
        // with "Connection: close", so the pool never hands that connection to a later request of another path.
        return OwnBins?.Contains(context.InitialRequestMessage.RequestUri) == true
            ? ConnectAsync(context.DnsEndPoint, checkAddresses: false, cancellationToken)
            : ConnectAsync(context.DnsEndPoint, cancellationToken);
    }

    /// <summary>
    /// Resolves <paramref name="endPoint"/>'s host, checks every address, and connects to the
    /// first checked address that accepts, returning a stream that owns the socket.
    /// </summary>
    /// <exception cref="BlockedAddressException">An address is blocked; nothing was connected.</exception>
    /// <exception cref="SocketException">The host did not resolve, or no address accepted.</exception>
    public ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken) =>
        ConnectAsync(endPoint, checkAddresses: true, cancellationToken);

    private async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool checkAddresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var host = HostOf(endPoint.Host);
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);

        if (checkAddresses && FindBlocked(addresses, AllowedNetworks) is { } blocked)
        {
            throw new BlockedAddressException(host, blocked.Address, blocked.Reason);
        }

        // Try each checked address in the resolver's order (RFC 6724 preference), the way
        // HttpClient's own connect does when an IPv6 route is missing. Never hand the host
        // name to the socket: that would resolve again, past the check.
        ExceptionDispatchInfo? lastFailure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            {
                // Webhook requests are small writes followed by a wait for the answer; Nagle's
                // algorithm would only add latency (HttpClient's default connect sets it too).
                NoDelay = true,
            };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastFailure = ExceptionDispatchInfo.Capture(ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        lastFailure!.Throw();
        throw new UnreachableException();
    }

    /// <summary>
    /// A warning to show when a hook is created or edited if its URL's host is, or currently
    /// resolves to, an address deliveries will refuse; null when it looks deliverable.
    /// </summary>
    /// <remarks>
    /// Null too when the host does not resolve: that is worth telling the user, but it is not
    /// this warning (which is about where the server may connect), and a hook is often saved
    /// before its receiver's DNS record exists. The first delivery attempt, or the hook's
    /// "Test" button, reports the DNS error. Only advice: a name can point elsewhere later,
    /// which is why <see cref="ConnectAsync(DnsEndPoint, CancellationToken)"/> checks again.
    /// </remarks>
    public static Task<string?> WarningForAsync(Uri url, AllowedNetworks allowed, CancellationToken cancellationToken) =>
        new OutboundGuard(allowed).WarningForAsync(url, cancellationToken);

    /// <inheritdoc cref="WarningForAsync(Uri, AllowedNetworks, CancellationToken)"/>
    public async Task<string?> WarningForAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{url}' is not an absolute URL.", nameof(url));
        }

        if (OwnBins?.Contains(url) == true)
        {
            return null;
        }

        var host = HostOf(url.IdnHost);
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }

        if (FindBlocked(addresses, AllowedNetworks) is not { } blocked)
        {
            return null;
        }

        var what = IPAddress.TryParse(host, out _)
            ? $"{blocked.Address} is blocked ({blocked.Reason})"
            : $"{host} currently resolves to {blocked.Address}, which is blocked ({blocked.Reason})";
        return $"{what}; deliveries will be refused unless the network is added to {AllowedNetworks.ConfigurationKey}.";
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        // An IP literal is used as is. By the time a host reaches here System.Uri has already
        // normalised the odd IPv4 spellings that SSRF filters classically miss ("127.1",
        // "0x7f000001", "2130706433", "0177.0.0.1" all arrive as "127.0.0.1"), and whatever
        // still goes to DNS is judged by the addresses it resolves to, never by its spelling.
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await _resolve(host, cancellationToken).ConfigureAwait(false);

        // Connect to an IPv4-mapped answer (an AAAA record of ::ffff:a.b.c.d) as plain IPv4:
        // that is where the packets go anyway, and an IPv6-only socket could not reach it.
        var usable = addresses
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            .Distinct()
            .ToArray();

        return usable.Length > 0 ? usable : throw new SocketException((int)SocketError.HostNotFound);
    }

    // Every address is checked, not only the one that would be tried first: a name with one
    // public and one private answer is refused outright. Simpler to reason about than
    // filtering, and it leaves a rebinding attacker nothing to race for.
    private static (IPAddress Address, string Reason)? FindBlocked(IEnumerable<IPAddress> addresses, AllowedNetworks allowed)
    {
        foreach (var address in addresses)
        {
            if (AddressClassifier.BlockReason(address) is { } reason && !allowed.Contains(address))
            {
                return (address, reason);
            }
        }

        return null;
    }

    // SocketsHttpHandler passes the URI's host as written in the authority: IPv6 literals keep
    // their brackets and an escaped zone id ("[fe80::1%25eth0]"); IPAddress wants neither.
    private static string HostOf(string host)
    {
        if (host.Length > 1 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }

        return host.Replace("%25", "%", StringComparison.Ordinal);
    }
}
