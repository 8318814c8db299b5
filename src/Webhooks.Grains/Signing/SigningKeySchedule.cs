using Webhooks.Abstractions.Tenants;

namespace Webhooks.Grains.Signing;

/// <summary>Where one of a tenant's keys is in its life at a given time.</summary>
public enum SigningKeyPhase
{
    /// <summary>Published, not signing yet: listeners may fetch it before the switch.</summary>
    Waiting,

    /// <summary>Signs every delivery.</summary>
    Active,

    /// <summary>Replaced, still published for bodies it signed before the switch.</summary>
    Retiring,

    /// <summary>Gone from the key set; nothing is signed with it.</summary>
    Retired,
}

/// <summary>
/// The life of a tenant's <c>N-Signature</c> keys, as data alone so that every silo reading the same keys reaches the same
/// answer at the same instant: waiting until its activation, active until the next key's, retiring until its retirement,
/// then retired. Keys are kept oldest activation first.
/// </summary>
public static class SigningKeySchedule
{
    /// <summary>Keys published at once at most; a rotation beyond it drops the oldest retiring key early.</summary>
    public const int MaxPublishedKeys = 8;

    /// <summary>The key that signs at <paramref name="now"/>: the last one activated by then.</summary>
    public static ProtectedSigningKey Active(IReadOnlyList<ProtectedSigningKey> keys, DateTimeOffset now)
    {
        var active = keys[0];
        foreach (var key in keys)
        {
            if (key.ActivatesAt <= now)
            {
                active = key;
            }
        }

        return active;
    }

    /// <summary>The phase of <paramref name="key"/>, one of <paramref name="keys"/>, at <paramref name="now"/>.</summary>
    public static SigningKeyPhase PhaseOf(ProtectedSigningKey key, IReadOnlyList<ProtectedSigningKey> keys, DateTimeOffset now) =>
        key.RetiresAt <= now ? SigningKeyPhase.Retired
        : key.ActivatesAt > now ? SigningKeyPhase.Waiting
        : ReferenceEquals(Active(keys, now), key) ? SigningKeyPhase.Active
        : SigningKeyPhase.Retiring;

    /// <summary>The keys a listener may see a signature from at <paramref name="now"/>: every one not retired, in order.</summary>
    public static IReadOnlyList<ProtectedSigningKey> Published(IReadOnlyList<ProtectedSigningKey> keys, DateTimeOffset now) =>
        [.. keys.Where(k => PhaseOf(k, keys, now) != SigningKeyPhase.Retired)];

    /// <summary>
    /// The keys after a new one (<paramref name="protectedPrivateKey"/>, <paramref name="modulus"/>) is added at <paramref name="now"/>: it activates after
    /// <paramref name="activationDelay"/> (at once with <paramref name="activateNow"/>), and the key active now retires
    /// <paramref name="retirementDelay"/> after that. A key still waiting is replaced: it never signed anything, so
    /// nothing a listener holds needs it. Retired keys are dropped.
    /// </summary>
    public static List<ProtectedSigningKey> Rotate(
        IReadOnlyList<ProtectedSigningKey> keys, byte[] protectedPrivateKey, string modulus, DateTimeOffset now,
        TimeSpan activationDelay, TimeSpan retirementDelay, bool activateNow)
    {
        var activatesAt = activateNow ? now : now + activationDelay;
        var kept = new List<ProtectedSigningKey>();
        foreach (var key in keys)
        {
            switch (PhaseOf(key, keys, now))
            {
                case SigningKeyPhase.Active:
                    kept.Add(key with { RetiresAt = activatesAt + retirementDelay });
                    break;
                case SigningKeyPhase.Retiring:
                    kept.Add(key);
                    break;
                default:
                    break; // retired, or waiting and replaced
            }
        }

        kept.Add(new ProtectedSigningKey(protectedPrivateKey, modulus, now, activatesAt));
        if (kept.Count > MaxPublishedKeys)
        {
            kept.RemoveRange(0, kept.Count - MaxPublishedKeys);
        }

        return kept;
    }
}
