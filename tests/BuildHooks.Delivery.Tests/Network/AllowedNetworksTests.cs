using System.Net;
using BuildHooks.Delivery.Network;

namespace BuildHooks.Delivery.Tests.Network;

public sealed class AllowedNetworksTests
{
    [Fact]
    public void Contains_addresses_inside_the_configured_networks_only()
    {
        var allowed = AllowedNetworks.Parse(["10.20.0.0/16", "fd12:3456::/32"]);

        Assert.True(allowed.Contains(IPAddress.Parse("10.20.0.1")));
        Assert.True(allowed.Contains(IPAddress.Parse("10.20.255.255")));
        Assert.False(allowed.Contains(IPAddress.Parse("10.21.0.1")));
        Assert.True(allowed.Contains(IPAddress.Parse("fd12:3456::1")));
        Assert.False(allowed.Contains(IPAddress.Parse("fd12:3457::1")));
    }

    [Fact]
    public void Treats_a_bare_address_as_a_single_host_network()
    {
        var allowed = AllowedNetworks.Parse(["192.168.1.5", "fd00::7"]);

        Assert.Equal([IPNetwork.Parse("192.168.1.5/32"), IPNetwork.Parse("fd00::7/128")], allowed.Networks);
        Assert.True(allowed.Contains(IPAddress.Parse("192.168.1.5")));
        Assert.False(allowed.Contains(IPAddress.Parse("192.168.1.6")));
        Assert.True(allowed.Contains(IPAddress.Parse("fd00::7")));
        Assert.False(allowed.Contains(IPAddress.Parse("fd00::8")));
    }

    [Fact]
    public void Compares_an_ipv4_mapped_address_as_ipv4()
    {
        var allowed = AllowedNetworks.Parse(["127.0.0.0/8"]);

        Assert.True(allowed.Contains(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(allowed.Contains(IPAddress.Parse("::1")));
    }

    [Fact]
    public void Accepts_an_ipv4_mapped_network_as_the_ipv4_network_it_stands_for()
    {
        var allowed = AllowedNetworks.Parse(["::ffff:10.0.0.0/104"]);

        Assert.Equal([IPNetwork.Parse("10.0.0.0/8")], allowed.Networks);
        Assert.True(allowed.Contains(IPAddress.Parse("10.1.2.3")));
        Assert.True(allowed.Contains(IPAddress.Parse("::ffff:10.1.2.3")));
    }

    [Fact]
    public void Trims_entries_and_skips_blank_ones()
    {
        var allowed = AllowedNetworks.Parse([" 10.0.0.0/8 ", "", "   ", null]);

        Assert.Equal([IPNetwork.Parse("10.0.0.0/8")], allowed.Networks);
    }

    [Fact]
    public void Is_empty_and_contains_nothing_when_not_configured()
    {
        Assert.True(AllowedNetworks.Parse(null).IsEmpty);
        Assert.True(AllowedNetworks.Parse([]).IsEmpty);
        Assert.False(AllowedNetworks.None.Contains(IPAddress.Loopback));
    }

    [Theory]
    [InlineData("not-a-network")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fd00::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10/8")]
    [InlineData("/8")]
    [InlineData("256.0.0.0/8")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.0.0.0 /8")]
    public void Rejects_an_invalid_entry_with_a_message_naming_it(string entry)
    {
        var ex = Assert.Throws<FormatException>(() => AllowedNetworks.Parse(["10.0.0.0/8", entry]));

        Assert.Contains($"'{entry}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(AllowedNetworks.ConfigurationKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_host_bits_beyond_the_prefix_instead_of_silently_widening()
    {
        var ex = Assert.Throws<FormatException>(() => AllowedNetworks.ParseNetwork("10.1.2.3/8"));

        Assert.Contains("10.0.0.0/8", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10.1.2.3/32", ex.Message, StringComparison.Ordinal);
    }
}
