namespace Webhooks.Receiving.Keys;

/// <summary>The keys that may have made a signature: the named one, or every key when none was named; empty when the id is unknown.</summary>
/// <param name="Keys">The candidate keys.</param>
/// <param name="Available">False when no key set could be fetched at all.</param>
internal sealed record KeyLookup(IReadOnlyList<RsaPublicKey> Keys, bool Available = true)
{
    public static readonly KeyLookup Unavailable = new([], Available: false);
}
