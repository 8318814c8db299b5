using System.Net;
using System.Net.Sockets;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>
/// Which addresses a listener may be on: public unicast only. Everything that reaches back into the deployment
/// (loopback, private networks, link-local incl. cloud metadata, CGNAT) or is not a single host (multicast,
/// broadcast, unspecified, reserved) is refused, in every notation that names it — IPv4-mapped, NAT64 and 6to4
/// IPv6 forms are judged by the IPv4 address inside them.
/// </summary>
public static class NetworkAddressPolicy
{
    /// <summary>Whether a listener may be reached at <paramref name="address"/>.</summary>
    public static bool IsPublic(IPAddress address) => Describe(address) is null;

    /// <summary>Why <paramref name="address"/> is refused, as a phrase following it ("is a loopback address"); null when it is public.</summary>
    public static string? Describe(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => DescribeV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => DescribeV6(address.GetAddressBytes()),
            _ => "is not an IP address",
        };
    }

    private static string? DescribeV4(ReadOnlySpan<byte> b) => (b[0], b[1], b[2]) switch
    {
        (0, 0, 0) when b[3] == 0 => "is the unspecified address",
        (0, _, _) => "is in the reserved range 0.0.0.0/8",
        (10, _, _) or (172, >= 16 and <= 31, _) or (192, 168, _) => "is in a private network",
        (100, >= 64 and <= 127, _) => "is in the shared address space 100.64.0.0/10 (carrier-grade NAT)",
        (127, _, _) => "is a loopback address",
        (169, 254, _) => "is a link-local address",
        (192, 0, 0) => "is in the reserved range 192.0.0.0/24",
        (198, 18 or 19, _) => "is in the reserved range 198.18.0.0/15",
        (>= 224 and <= 239, _, _) => "is a multicast address",
        (255, 255, 255) when b[3] == 255 => "is the broadcast address",
        (>= 240, _, _) => "is in the reserved range 240.0.0.0/4",
        _ => null,
    };

    private static string? DescribeV6(ReadOnlySpan<byte> b)
    {
        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            // ::/96 holds the unspecified and loopback addresses and the deprecated IPv4-compatible form.
            return b[12..15].IndexOfAnyExcept((byte)0) >= 0 ? "is a deprecated IPv4-compatible address"
                : b[15] switch { 0 => "is the unspecified address", 1 => "is a loopback address", _ => "is in the reserved range ::/96" };
        }

        if (b[..10].IndexOfAnyExcept((byte)0) < 0 && b[10] == 0xff && b[11] == 0xff)
        {
            return DescribeV4(b[12..]); // ::ffff:a.b.c.d, IPv4-mapped
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return DescribeV4(b[12..]); // 64:ff9b::a.b.c.d, NAT64 reaches the embedded IPv4 address
        }

        return (b[0], b[1]) switch
        {
            (0x20, 0x02) => DescribeV4(b[2..6]), // 2002:aabb:ccdd::/48, 6to4
            (0xfe, >= 0x80 and <= 0xbf) => "is a link-local address",
            (0xfe, >= 0xc0) => "is a site-local address",
            (0xfc or 0xfd, _) => "is a unique-local address (a private network)",
            (0xff, _) => "is a multicast address",
            _ => null,
        };
    }
}
