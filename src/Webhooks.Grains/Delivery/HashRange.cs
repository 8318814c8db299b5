namespace Webhooks.Grains.Delivery;

/// <summary>
/// A range of grain hashes on Orleans' ring, (<see cref="Begin"/>, <see cref="End"/>]: begin excluded, end included,
/// wrapping past <see cref="uint.MaxValue"/>; begin equal to end is the whole ring. This is how the reminder table
/// reads rows by hash.
/// </summary>
internal readonly record struct HashRange(uint Begin, uint End)
{
    private const long RingSize = 1L << 32;

    /// <summary>Every hash.</summary>
    public static HashRange Whole { get; } = new(0, 0);

    /// <summary>
    /// The share of <paramref name="silo"/> when the ring is cut into equal consecutive ranges, one per silo of
    /// <paramref name="silos"/> in address order; null when <paramref name="silo"/> is not among them. Every silo
    /// that computes this from the same silos gets a different range, and together they cover the ring.
    /// </summary>
    public static HashRange? ShareOf(SiloAddress silo, IEnumerable<SiloAddress> silos)
    {
        var ordered = silos.Distinct().Order().ToList();
        var index = ordered.IndexOf(silo);
        return index < 0 ? null : new HashRange(Boundary(index, ordered.Count), Boundary(index + 1, ordered.Count));
    }

    /// <summary>Whether <paramref name="hash"/> is in the range.</summary>
    public bool Contains(uint hash) =>
        Begin == End || (Begin < End ? hash > Begin && hash <= End : hash > Begin || hash <= End);

    // The last boundary is the ring size itself, which wraps to 0, where the first range begins.
    private static uint Boundary(int index, int count) => unchecked((uint)(RingSize * index / count));
}
