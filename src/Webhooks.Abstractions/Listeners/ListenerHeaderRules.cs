using System.Collections.Immutable;

namespace Webhooks.Abstractions.Listeners;

/// <summary>
/// What a listener's own request headers (<c>headers</c>) may be: a few, well-formed, and none the dispatcher sets
/// itself or that changes how the request travels. Their values can be credentials (a static token for the
/// listener's gateway): they are kept encrypted, never logged, and shown back only <see cref="Mask">masked</see>.
/// </summary>
public static class ListenerHeaderRules
{
    public const int MaxHeaders = 10;
    public const int MaxNameLength = 256;
    public const int MaxValueLength = 4096;

    /// <summary>What a masked value starts with.</summary>
    public const string MaskPrefix = "***";

    /// <summary>Values shorter than this are masked whole: their last 4 characters would be most of them.</summary>
    public const int ShortestPartlyShown = 12;

    // Set by the dispatcher (the body's framing and type, its identity, both signatures), or hop-by-hop: they would
    // contradict what is sent or change how the request travels, not tell the listener anything.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding", "User-Agent", "Expect",
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Upgrade",
    };

    /// <summary>Whether the dispatcher reserves <paramref name="name"/>: its own headers (every <c>webhook-*</c>, every <c>N-Signature*</c>) and the framing and hop-by-hop ones.</summary>
    public static bool IsReserved(string name) =>
        Reserved.Contains(name)
        || name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("N-Signature", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is wrong with a set of headers, or null when it is acceptable.</summary>
    public static string? Error(IReadOnlyCollection<KeyValuePair<string, string?>> headers)
    {
        if (headers.Count > MaxHeaders)
        {
            return $"At most {MaxHeaders} headers are allowed.";
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (NameError(name) is { } nameError)
            {
                return nameError;
            }

            if (!seen.Add(name))
            {
                return $"The header \"{name}\" is given more than once (names are case-insensitive).";
            }

            if (ValueError(name, value) is { } valueError)
            {
                return valueError;
            }
        }

        return null;
    }

    /// <summary>How a value is shown back: <c>***</c> and its last 4 characters, or <c>***</c> alone for a short one.</summary>
    public static string Mask(string value) =>
        value.Length >= ShortestPartlyShown ? string.Concat(MaskPrefix, value.AsSpan(value.Length - 4)) : MaskPrefix;

    /// <summary>Every value masked (see <see cref="Mask"/>).</summary>
    public static ImmutableDictionary<string, string> Masked(IReadOnlyDictionary<string, string> headers) =>
        headers.ToImmutableDictionary(h => h.Key, h => Mask(h.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The headers to keep after an update: a value sent back exactly as it was shown (masked) keeps the stored one,
    /// so a client that reads a listener and writes it back does not replace its credentials with their mask.
    /// </summary>
    public static ImmutableDictionary<string, string> Merge(IReadOnlyDictionary<string, string> requested, IReadOnlyDictionary<string, string> stored)
    {
        var kept = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in requested)
        {
            kept[name] = stored.TryGetValue(name, out var old) && value == Mask(old) ? old : value;
        }

        return kept.ToImmutable();
    }

    private static string? NameError(string name)
    {
        if (name.Length is 0 or > MaxNameLength || !name.All(IsTokenChar))
        {
            return $"\"{Shorten(name)}\" is not a valid header name (letters, digits and !#$%&'*+-.^_`|~, at most {MaxNameLength} characters).";
        }

        return IsReserved(name)
            ? $"The header \"{name}\" is set by the dispatcher or controls the connection, and cannot be set per listener."
            : null;
    }

    private static string? ValueError(string name, string? value)
    {
        if (value is null)
        {
            return $"The header \"{name}\" needs a value (a string).";
        }

        if (value.Length > MaxValueLength)
        {
            return $"The header \"{name}\" is longer than {MaxValueLength} characters.";
        }

        // Visible ASCII with inner spaces and tabs: no line breaks (which would inject headers), no control characters,
        // and no edge whitespace, which HTTP drops and would make the stored value differ from what is sent.
        if (value.Any(c => c is not ('\t' or (>= ' ' and <= '~'))) || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))))
        {
            return $"The header \"{name}\" has a value with characters HTTP does not carry (only visible ASCII, with spaces and tabs inside).";
        }

        return null;
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
