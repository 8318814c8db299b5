namespace Webhooks.Grains;

/// <summary>Where a 1-based page starts, for any page number a caller can send.</summary>
internal static class PageOffset
{
    /// <summary>
    /// How many items come before page <paramref name="pageNumber"/>. Computed in 64 bits: in 32 a far page wraps
    /// round to a small or negative offset and serves the first items again. Past <see cref="int.MaxValue"/> every
    /// collection is exhausted anyway, so the offset is capped there.
    /// </summary>
    public static int Of(int pageNumber, int pageSize) => (int)Math.Clamp(((long)pageNumber - 1) * pageSize, 0, int.MaxValue);
}
