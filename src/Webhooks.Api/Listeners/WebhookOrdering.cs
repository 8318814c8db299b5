using Webhooks.Abstractions.Listeners;

namespace Webhooks.Api.Listeners;

/// <summary>The <c>ordering</c> field's values on the wire, and their <see cref="ListenerOrdering"/>.</summary>
public static class WebhookOrdering
{
    public const string None = "none";
    public const string Resource = "resource";
    public const string Listener = "listener";

    /// <summary>Every value the field takes, as the API documents them.</summary>
    public static readonly IReadOnlyList<string> Values = [None, Resource, Listener];

    /// <summary>The ordering a request names: null (left out) is <see cref="ListenerOrdering.None"/>; false for a name not in <see cref="Values"/>.</summary>
    public static bool TryParse(string? value, out ListenerOrdering ordering)
    {
        (var known, ordering) = value switch
        {
            null or None => (true, ListenerOrdering.None),
            Resource => (true, ListenerOrdering.Resource),
            Listener => (true, ListenerOrdering.Listener),
            _ => (false, ListenerOrdering.None),
        };
        return known;
    }

    public static string Format(ListenerOrdering ordering) => ordering switch
    {
        ListenerOrdering.Resource => Resource,
        ListenerOrdering.Listener => Listener,
        _ => None,
    };
}
