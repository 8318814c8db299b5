using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Abstractions.Publishing;

/// <summary>
/// Event ids derived from a change, so that publishing the same change again (a retry after a crash between the
/// publisher's own state write and its publish) is answered from storage and delivered once.
/// </summary>
public static class WebhookEventIds
{
    private const string HashedPrefix = "k.";

    /// <summary>
    /// The event id of version <paramref name="version"/> of <paramref name="key"/> (a grain's key, an aggregate's id):
    /// <c>{key}:v{version}</c> when that is a valid event id, otherwise the key's SHA-256 in its place, so any key,
    /// however long or whatever its characters, gives an id of at most 128 letters, digits and <c>. _ : -</c>.
    /// </summary>
    /// <remarks>Event ids are unique per tenant: the key should say whose change it is (e.g. <c>entitlement.ent_42</c>).</remarks>
    public static string ForChange(string key, long version)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        var suffix = ":v" + version.ToString(CultureInfo.InvariantCulture);
        var plain = key + suffix;
        // A key that looks hashed is hashed too, so it cannot meet the hashed form of another key.
        if (WebhookEventRules.IsEventId(plain) && !key.StartsWith(HashedPrefix, StringComparison.Ordinal))
        {
            return plain;
        }

        return HashedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + suffix;
    }
}
