using System.Net;
using System.Net.Sockets;

namespace BuildHooks.Delivery.Network;

/// <summary>
/// Decides whether a webhook may be delivered to an IP address. Hook URLs are typed in by
/// users, so without this check anyone who can add a hook could make the server POST to its
/// own loopback services, the private network it sits in, or the cloud metadata endpoint
/// that hands out credentials (server-side request forgery).
/// </summary>
/// <remarks>
/// The answer is a short reason rather than a bool because it ends up in the delivery log and
/// in the warning shown when a hook is created: "refused: loopback" tells a person what to do,
/// "refused" does not. Operators open exceptions with <see cref="AllowedNetworks"/>.
/// </remarks>
public static class AddressClassifier
{
    // First match wins, so exact addresses come before the ranges that contain them
    // (169.254.169.254 is more useful to report as "cloud metadata" than as "link-local").
    private static readonly (IPNetwork Network, string Reason)[] V4Rules =
    [
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"),
        // AWS, GCP, Azure, Oracle and DigitalOcean instance metadata (credentials live here).
        (IPNetwork.Parse("169.254.169.254/32"), "cloud metadata"),
        // Alibaba Cloud's metadata service; it sits inside the carrier-grade NAT range.
        (IPNetwork.Parse("100.100.100.200/32"), "cloud metadata"),
        // Azure's WireServer: a public-looking address that only answers from inside Azure.
        (IPNetwork.Parse("168.63.129.16/32"), "cloud metadata"),
        // Oracle Cloud's older metadata address.
        (IPNetwork.Parse("192.0.0.192/32"), "cloud metadata"),
        // Linux treats a connection to 0.0.0.0 as a connection to the local host.
        (IPNetwork.Parse("0.0.0.0/32"), "unspecified"),
        (IPNetwork.Parse("0.0.0.0/8"), "reserved (this network)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved (IETF protocol assignments)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        // The deprecated 6to4 relay anycast range: nothing legitimate listens there any more.
        (IPNetwork.Parse("192.88.99.0/24"), "reserved (6to4 relay anycast)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] V6Rules =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        // AWS's instance metadata service over IPv6 (Nitro instances); inside fc00::/7 too.
        (IPNetwork.Parse("fd00:ec2::254/128"), "cloud metadata"),
        // RFC 8215 local-use NAT64: translates into whatever the local operator chose,
        // which is typically the private network, and the embedding is not fixed.
        (IPNetwork.Parse("64:ff9b:1::/48"), "reserved (local-use NAT64)"),
        // Teredo hides the client's IPv4 address (XOR-obfuscated) behind a relay; nothing a
        // webhook receiver needs, and unpicking it is not worth the risk of getting it wrong.
        (IPNetwork.Parse("2001::/32"), "Teredo relay"),
        (IPNetwork.Parse("2001:2::/48"), "benchmarking"),
        (IPNetwork.Parse("2001:10::/28"), "reserved (ORCHID)"),
        (IPNetwork.Parse("2001:20::/28"), "reserved (ORCHIDv2)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("3fff::/20"), "documentation"),
        (IPNetwork.Parse("100::/64"), "reserved (discard-only)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local (deprecated)"),
        (IPNetwork.Parse("fc00::/7"), "unique local (ULA)"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    // Prefixes that carry an IPv4 address inside an IPv6 one. A relay would forward to that
    // IPv4 address, so the embedded address decides: 64:ff9b::7f00:1 is loopback in disguise,
    // while 64:ff9b::808:808 is how an IPv6-only host with DNS64 legitimately reaches 8.8.8.8.
    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    // Everything routable on the IPv6 internet today is allocated from 2000::/3; an address
    // outside it that no rule above names is unassigned and has no business receiving hooks.
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    /// <summary>
    /// Null when <paramref name="address"/> is a public address that deliveries may reach;
    /// otherwise a short reason such as "loopback", "private" or "cloud metadata".
    /// </summary>
    public static string? BlockReason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        // ::ffff:a.b.c.d is how a dual-stack socket spells a.b.c.d; the packet goes out as
        // IPv4, so it is exactly as safe as the IPv4 address and deserves the same reason.
        if (address.IsIPv4MappedToIPv6)
        {
            return BlockReasonV4(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => BlockReasonV4(address),
            AddressFamily.InterNetworkV6 => BlockReasonV6(address),
            // Only IP addresses can be delivered to; anything else is not ours to judge as safe.
            _ => "not an IP address",
        };
    }

    private static string? BlockReasonV4(IPAddress address)
    {
        foreach (var (network, reason) in V4Rules)
        {
            if (network.Contains(address))
            {
                return reason;
            }
        }

        return null;
    }

    private static string? BlockReasonV6(IPAddress address)
    {
        foreach (var (network, reason) in V6Rules)
        {
            if (network.Contains(address))
            {
                return reason;
            }
        }

        var bytes = address.GetAddressBytes();

        if (Nat64.Contains(address))
        {
            return EmbeddedReason("NAT64 relay", bytes, offset: 12);
        }

        if (SixToFour.Contains(address))
        {
            return EmbeddedReason("6to4 relay", bytes, offset: 2);
        }

        if (Ipv4Compatible.Contains(address))
        {
            // Deprecated since 2006 (RFC 4291) and never a legitimate destination, so it is
            // refused even when the embedded address is public; naming the embedded address
            // when it is itself blocked makes the log line self-explanatory.
            return EmbeddedReason("IPv4-compatible form", bytes, offset: 12)
                ?? "reserved (deprecated IPv4-compatible)";
        }

        return GlobalUnicast.Contains(address) ? null : "reserved";
    }

    private static string? EmbeddedReason(string form, byte[] bytes, int offset)
    {
        var embedded = new IPAddress(bytes.AsSpan(offset, 4));
        var reason = BlockReasonV4(embedded);
        return reason is null ? null : $"{form} of a blocked address ({embedded}, {reason})";
    }
}
