using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BuildHooks.Delivery.Network;

/// <summary>
/// The operator's exceptions to <see cref="AddressClassifier"/>: networks that deliveries may
/// reach even though they are private, loopback and so on. A self-hosted BuildHooks often
/// notifies services on the same private network (a chat bot, a deploy agent), so refusing
/// them outright would make the guard something people switch off instead of configure.
/// </summary>
/// <remarks>
/// Read from <see cref="ConfigurationKey"/> as a list of CIDR strings, for example
/// <c>["10.20.0.0/16", "fd12:3456::/48", "192.168.1.5"]</c>. A bare address means just that
/// address (/32 or /128). The list is empty by default: nothing private is reachable until an
/// operator says so.
/// </remarks>
public sealed class AllowedNetworks
{
    /// <summary>The configuration key the list is bound from.</summary>
    public const string ConfigurationKey = "BuildHooks:Delivery:AllowedNetworks";

    /// <summary>No exceptions: every address the classifier blocks stays blocked.</summary>
    public static AllowedNetworks None { get; } = new([]);

    private readonly IPNetwork[] _networks;

    public AllowedNetworks(IEnumerable<IPNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        _networks = networks.Select(Normalize).ToArray();
    }

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>
    /// Parses the configured list. Blank entries are skipped (an environment variable or an
    /// emptied JSON array element should not stop the server); any other invalid entry throws a
    /// <see cref="FormatException"/> that names it, so a typo fails at start-up rather than
    /// silently leaving a network blocked or, worse, open.
    /// </summary>
    public static AllowedNetworks Parse(IEnumerable<string?>? values)
    {
        if (values is null)
        {
            return None;
        }

        var networks = values
            .Where(value => !string.IsNullOrWhiteSpace(value))
            .Select(value => ParseNetwork(value!))
            .ToList();
        return networks.Count == 0 ? None : new AllowedNetworks(networks);
    }

    /// <summary>Parses one entry: a CIDR such as <c>10.0.0.0/8</c>, or a single address.</summary>
    /// <exception cref="FormatException">The entry is not a network; the message names it.</exception>
    public static IPNetwork ParseNetwork(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];

        if (!TryParseStrictAddress(addressText, out var address))
        {
            throw Invalid(value, "expected a network such as 10.0.0.0/8 or fd00::/8, or a single address such as 192.168.1.5");
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0
            && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > maxPrefix))
        {
            throw Invalid(value, $"the prefix length after '/' must be a whole number from 0 to {maxPrefix}");
        }

        // IPNetwork quietly clears bits beyond the prefix, so "10.1.2.3/8" would become all of
        // 10.0.0.0/8. In an allowlist that silent widening is a security decision nobody made;
        // ask which of the two plausible meanings was intended instead.
        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            throw Invalid(value, $"the address has bits set beyond the /{prefix} prefix; write {network} for the whole network or {address}/{maxPrefix} for the single address");
        }

        return network;
    }

    /// <summary>
    /// True when <paramref name="address"/> lies in one of the allowed networks. IPv4-mapped
    /// IPv6 addresses (::ffff:10.0.0.5) are compared as the IPv4 address they stand for, so an
    /// IPv4 entry covers a dual-stack socket's spelling of the same address.
    /// </summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => IsEmpty ? "(none)" : string.Join(", ", _networks);

    private static bool TryParseStrictAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        // IPAddress.TryParse accepts inet_aton shorthands ("10" is 0.0.0.10, "10.1" is
        // 10.0.0.1); in a config file "10/8" far more likely means 10.0.0.0/8, so only the
        // plain dotted quad is accepted for IPv4. Zone ids (%eth0) have no meaning in a network.
        if (text.Length == 0 || text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    // ::ffff:10.0.0.0/104 is the same set of destinations as 10.0.0.0/8; store it in that form
    // so that Contains, which compares mapped addresses as IPv4, finds it.
    private static IPNetwork Normalize(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;

    private static FormatException Invalid(string value, string why) =>
        new($"Invalid entry '{value}' in {ConfigurationKey}: {why}.");
}
