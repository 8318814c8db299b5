using System.Buffers.Text;
using System.Security.Cryptography;

namespace Webhooks.Abstractions;

/// <summary>Creates and recognises the public identifiers: <c>wh_…</c> listeners and <c>t_…</c> tenants.</summary>
public static class ResourceIds
{
    public const string ListenerPrefix = "wh_";
    public const string TenantPrefix = "t_";

    // 16 random bytes are 22 url-safe base64 characters without padding.
    private const int RandomBytes = 16;
    private const int EncodedLength = 22;

    /// <summary>A new listener id: <c>wh_</c> and 22 url-safe base64 characters.</summary>
    public static string NewListenerId() => ListenerPrefix + NewRandomToken(RandomBytes);

    /// <summary>A new tenant id: <c>t_</c> and 22 url-safe base64 characters.</summary>
    public static string NewTenantId() => TenantPrefix + NewRandomToken(RandomBytes);

    /// <summary>True when <paramref name="value"/> has the shape of a listener id.</summary>
    public static bool IsListenerId(string? value) => HasShape(value, ListenerPrefix);

    /// <summary>True when <paramref name="value"/> has the shape of a tenant id.</summary>
    public static bool IsTenantId(string? value) => HasShape(value, TenantPrefix);

    /// <summary>Url-safe base64 of <paramref name="byteCount"/> random bytes, without padding.</summary>
    public static string NewRandomToken(int byteCount)
    {
        Span<byte> bytes = stackalloc byte[byteCount];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>True when every character is in the url-safe base64 alphabet.</summary>
    public static bool IsUrlSafeToken(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return !value.IsEmpty;
    }

    private static bool HasShape(string? value, string prefix) =>
        value is not null
        && value.Length == prefix.Length + EncodedLength
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && IsUrlSafeToken(value.AsSpan(prefix.Length));
}
