using Webhooks.Abstractions.Listeners;

namespace Webhooks.Api.Listeners;

/// <summary>The <c>signatures</c> field's names on the wire, and their <see cref="ListenerSignatures"/>.</summary>
public static class WebhookSignatures
{
    /// <summary>The tenant's RSA signature: <c>N-Signature</c> and <c>N-Signature-Key-Id</c>.</summary>
    public const string NSignature = "n-signature";

    /// <summary>The Standard Webhooks HMAC: <c>webhook-signature</c>.</summary>
    public const string Standard = "standard";

    /// <summary>Every name the field takes, as the API documents them; exactly these, in lowercase.</summary>
    public static readonly IReadOnlyList<string> Values = [NSignature, Standard];

    /// <summary>
    /// The choice a request names: null (left out) is both; null with an error for an empty list, a name not in
    /// <see cref="Values"/> (another case included) or a name given twice.
    /// </summary>
    public static ListenerSignatures? Parse(IReadOnlyList<string?>? names, out string? error)
    {
        error = null;
        if (names is null)
        {
            return ListenerSignatures.Both;
        }

        var known = names.Where(n => n is NSignature or Standard).ToList();
        if (names.Count == 0)
        {
            error = $"Name at least one signature ({Named()}), or leave the field out for both.";
        }
        else if (known.Count != names.Count)
        {
            var unknown = names.Where(n => n is not (NSignature or Standard)).Take(5).Select(n => n is null ? "null" : $"\"{Shorten(n)}\"");
            error = $"Unknown signature(s): {string.Join(", ", unknown)}. The signatures are {Named()}, in lowercase.";
        }
        else if (known.Distinct(StringComparer.Ordinal).Count() != known.Count)
        {
            error = "Each signature may be named once.";
        }

        return error is not null ? null : known.Count == 2 ? ListenerSignatures.Both
            : known[0] == NSignature ? ListenerSignatures.NSignature : ListenerSignatures.Standard;
    }

    /// <summary>The names of a choice, as the listener model shows it: always the effective list.</summary>
    public static IReadOnlyList<string> Format(ListenerSignatures signatures) => signatures switch
    {
        ListenerSignatures.NSignature => [NSignature],
        ListenerSignatures.Standard => [Standard],
        _ => [NSignature, Standard],
    };

    private static string Named() => string.Join(", ", Values.Select(v => $"\"{v}\""));

    private static string Shorten(string name) => name.Length <= 32 ? name : name[..32] + "…";
}
