using System.Net;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Delivery;

public sealed class HashRangeTests
{
    private static readonly uint[] Probes = [0, 1, 2, 0x3FFF_FFFF, 0x5555_5555, 0x5555_5556, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xAAAA_AAAA, 0xAAAA_AAAB, 0xFFFF_FFFE, uint.MaxValue];

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void ShareOf_EverySilo_CutsTheRingIntoSharesThatEachHashIsInExactlyOneOf(int count)
    {
        // Handed over in a different order on each silo: the shares must not depend on it.
        var silos = Enumerable.Range(0, count).Select(i => Silo(11000 + i)).ToList();
        var shares = silos.Select(s => HashRange.ShareOf(s, Enumerable.Reverse(silos))!.Value).ToList();

        Assert.All(Probes, hash => Assert.Single(shares, share => share.Contains(hash)));
        Assert.Equal(count, shares.Distinct().Count());
    }

    [Fact]
    public void ShareOf_TheOnlySilo_IsTheWholeRing_AsTheReminderTableReadsIt()
    {
        var only = Silo(11000);

        Assert.Equal(HashRange.Whole, HashRange.ShareOf(only, [only]));
    }

    [Fact]
    public void ShareOf_ASiloNotAmongThem_IsNone()
    {
        Assert.Null(HashRange.ShareOf(Silo(11000), [Silo(11001), Silo(11002)]));
    }
}
