using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Webhooks.Api.Listeners;

/// <summary>
/// The <c>wait</c> preference of a <c>Prefer</c> header (RFC 7240): how many seconds the client is willing to wait for
/// the outcome. A preference that cannot be read is ignored, as the RFC asks, rather than refused.
/// </summary>
public static class PreferWait
{
    /// <summary>The response header that says which preference was honoured.</summary>
    public const string AppliedHeader = "Preference-Applied";

    /// <summary>The seconds of the first readable <c>wait</c> preference of <paramref name="prefer"/>; null when there is none.</summary>
    public static int? Read(StringValues prefer)
    {
        foreach (var header in prefer)
        {
            foreach (var preference in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, value) = preference.Split(';', 2)[0].Split('=', 2) switch
                {
                    [var n, var v] => (n.Trim(), v.Trim().Trim('"')),
                    [var n] => (n.Trim(), ""),
                    _ => ("", ""),
                };
                if (name.Equals("wait", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return seconds;
                }
            }
        }

        return null;
    }
}
