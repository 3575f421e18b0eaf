using System.Net;
using BuildHooks.Delivery.Network;

namespace BuildHooks.Delivery.Tests.Network;

// Pure classification: nothing here opens a connection.
public sealed class AddressClassifierTests
{
    [Theory]
    // IPv4
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "reserved (this network)")]
    [InlineData("0.255.255.255", "reserved (this network)")]
    [InlineData("10.0.0.0", "private")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("169.254.169.253", "link-local")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("100.100.100.200", "cloud metadata")]
    [InlineData("168.63.129.16", "cloud metadata")]
    [InlineData("192.0.0.192", "cloud metadata")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.0.0.8", "reserved (IETF protocol assignments)")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("192.88.99.1", "reserved (6to4 relay anycast)")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("192.168.255.255", "private")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("198.51.100.7", "documentation")]
    [InlineData("203.0.113.99", "documentation")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("254.1.2.3", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    // IPv6
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("fec0::1", "site-local (deprecated)")]
    [InlineData("fc00::1", "unique local (ULA)")]
    [InlineData("fd00::1", "unique local (ULA)")]
    [InlineData("fd12:3456:789a::1", "unique local (ULA)")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("ff05::1:3", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001:db8:ffff::1", "documentation")]
    [InlineData("3fff::1", "documentation")]
    [InlineData("100::1", "reserved (discard-only)")]
    [InlineData("2001::1", "Teredo relay")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo relay")]
    [InlineData("2001:2::1", "benchmarking")]
    [InlineData("2001:10::1", "reserved (ORCHID)")]
    [InlineData("2001:20::1", "reserved (ORCHIDv2)")]
    [InlineData("64:ff9b:1::a00:1", "reserved (local-use NAT64)")]
    [InlineData("4000::1", "reserved")]
    [InlineData("1::1", "reserved")]
    public void Blocks_special_purpose_addresses_with_a_reason(string address, string expectedReason)
    {
        Assert.Equal(expectedReason, AddressClassifier.BlockReason(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("::ffff:100.64.0.1", "carrier-grade NAT")]
    public void Classifies_an_ipv4_mapped_address_as_its_ipv4_address(string address, string expectedReason)
    {
        Assert.Equal(expectedReason, AddressClassifier.BlockReason(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("64:ff9b::7f00:1", "NAT64 relay of a blocked address (127.0.0.1, loopback)")]
    [InlineData("64:ff9b::a9fe:a9fe", "NAT64 relay of a blocked address (169.254.169.254, cloud metadata)")]
    [InlineData("64:ff9b::192.168.1.1", "NAT64 relay of a blocked address (192.168.1.1, private)")]
    [InlineData("2002:7f00:1::1", "6to4 relay of a blocked address (127.0.0.1, loopback)")]
    [InlineData("2002:a00:1::", "6to4 relay of a blocked address (10.0.0.1, private)")]
    [InlineData("2002:a9fe:a9fe::1", "6to4 relay of a blocked address (169.254.169.254, cloud metadata)")]
    [InlineData("::127.0.0.1", "IPv4-compatible form of a blocked address (127.0.0.1, loopback)")]
    [InlineData("::10.0.0.1", "IPv4-compatible form of a blocked address (10.0.0.1, private)")]
    public void Blocks_a_relay_address_that_embeds_a_blocked_ipv4_address(string address, string expectedReason)
    {
        Assert.Equal(expectedReason, AddressClassifier.BlockReason(IPAddress.Parse(address)));
    }

    [Fact]
    public void Blocks_the_deprecated_ipv4_compatible_form_even_of_a_public_address()
    {
        Assert.Equal("reserved (deprecated IPv4-compatible)", AddressClassifier.BlockReason(IPAddress.Parse("::8.8.8.8")));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("140.82.112.3")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2a00:1450:4001::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("2001:db9::1")]
    public void Allows_public_addresses(string address)
    {
        Assert.Null(AddressClassifier.BlockReason(IPAddress.Parse(address)));
    }

    // System.Uri normalises the spellings SSRF filters classically miss before any host string
    // reaches the guard, so the IP literal it hands over is the plain form the classifier knows.
    [Theory]
    [InlineData("127.1", "loopback")]
    [InlineData("0x7f000001", "loopback")]
    [InlineData("2130706433", "loopback")]
    [InlineData("017700000001", "loopback")]
    [InlineData("0177.0.0.1", "loopback")]
    [InlineData("127.000.000.001", "loopback")]
    [InlineData("0", "unspecified")]
    [InlineData("[::1]", "loopback")]
    [InlineData("[::ffff:127.0.0.1]", "loopback")]
    [InlineData("[::ffff:7f00:1]", "loopback")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("0xa9fea9fe", "cloud metadata")]
    [InlineData("[fd00::1]", "unique local (ULA)")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    public void Blocks_obfuscated_spellings_once_uri_has_normalised_them(string spelling, string expectedReason)
    {
        var uri = new Uri($"http://{spelling}/");

        var address = IPAddress.Parse(uri.Host.Trim('[', ']'));

        Assert.Equal(expectedReason, AddressClassifier.BlockReason(address));
        Assert.Equal(address, IPAddress.Parse(uri.IdnHost));
    }
}
