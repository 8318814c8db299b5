using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Receiving.Verification;

/// <summary>
/// Checks a Standard Webhooks signature header: space-separated <c>v1,&lt;base64&gt;</c> values, any of which may be the
/// HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> with any of the listener's secrets. Compared in constant time.
/// </summary>
internal sealed class StandardSignature(IReadOnlyList<byte[]> keys)
{
    private const string Prefix = "whsec_";
    private const string Version = "v1,";

    /// <summary>The HMAC key of a <c>whsec_</c> secret; null when it is not base64.</summary>
    public static byte[]? KeyOf(string secret)
    {
        var encoded = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        try
        {
            var key = Convert.FromBase64String(encoded);
            return key.Length == 0 ? null : key;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="header"/> holds a signature of this message by one of the keys.</summary>
    public bool Verify(string id, string timestamp, ReadOnlySpan<byte> body, string header)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var expected = new byte[keys.Count][];
        for (var i = 0; i < keys.Count; i++)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keys[i]);
            hmac.AppendData(prefix);
            hmac.AppendData(body);
            expected[i] = hmac.GetHashAndReset();
        }

        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var range in header.AsSpan().Split(' '))
        {
            var value = header.AsSpan(range);
            if (!value.StartsWith(Version, StringComparison.Ordinal)
                || !Convert.TryFromBase64Chars(value[Version.Length..], given, out var written)
                || written != given.Length)
            {
                continue;
            }

            foreach (var mac in expected)
            {
                if (CryptographicOperations.FixedTimeEquals(mac, given))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
