using System.Net;
using Webhooks.Grains.Delivery.Http;

namespace Webhooks.Grains.Tests.Delivery.Http;

public sealed class NetworkAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.5", "private network")]
    [InlineData("10.255.255.255", "private network")]
    [InlineData("172.16.0.1", "private network")]
    [InlineData("172.31.255.255", "private network")]
    [InlineData("192.168.0.1", "private network")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456:789a::1", "unique-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("0.1.2.3", "reserved")]
    [InlineData("192.0.0.8", "reserved")]
    [InlineData("198.18.0.1", "reserved")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("::7f00:1", "IPv4-compatible")]
    public void Describe_RefusesNonPublicAddresses(string address, string expected)
    {
        var parsed = IPAddress.Parse(address);

        Assert.False(NetworkAddressPolicy.IsPublic(parsed));
        Assert.Contains(expected, NetworkAddressPolicy.Describe(parsed), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.5", "private network")]
    [InlineData("::ffff:172.16.0.1", "private network")]
    [InlineData("::ffff:192.168.1.1", "private network")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("::ffff:100.64.0.1", "carrier-grade NAT")]
    [InlineData("::ffff:224.0.0.1", "multicast")]
    [InlineData("::ffff:255.255.255.255", "broadcast")]
    [InlineData("64:ff9b::7f00:1", "loopback")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")] // NAT64 of 169.254.169.254
    [InlineData("2002:a00:5::1", "private network")] // 6to4 of 10.0.0.5
    public void Describe_JudgesIPv6FormsByTheIPv4AddressInside(string address, string expected)
    {
        var parsed = IPAddress.Parse(address);

        Assert.False(NetworkAddressPolicy.IsPublic(parsed));
        Assert.Contains(expected, NetworkAddressPolicy.Describe(parsed), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void IsPublic_AcceptsPublicAddresses(string address)
    {
        var parsed = IPAddress.Parse(address);

        Assert.True(NetworkAddressPolicy.IsPublic(parsed));
        Assert.Null(NetworkAddressPolicy.Describe(parsed));
    }

    // Decimal, octal, hex and short IPv4 spellings all parse to the address they denote, which is what is judged.
    [Theory]
    [InlineData("2130706433")]
    [InlineData("0177.0.0.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("0x7f000001")]
    [InlineData("127.1")]
    public void IPv4Spellings_ParseToTheLoopbackAddress(string spelling)
    {
        Assert.Equal(IPAddress.Loopback, IPAddress.Parse(spelling));
        Assert.Equal("127.0.0.1", new Uri($"http://{spelling}:8080/").IdnHost);
        Assert.False(NetworkAddressPolicy.IsPublic(IPAddress.Parse(spelling)));
    }
}
