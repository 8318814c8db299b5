using System.Collections.Immutable;
using Webhooks.Abstractions.Catalog;

namespace Webhooks.Grains.Routing;

/// <summary>
/// The in-memory lookup from event code to listener ids, plus creation order for listing. It is derived
/// from <see cref="RouterState.Listeners"/> on activation and kept in step with every committed change.
/// </summary>
internal sealed class RoutingIndex
{
    private readonly Dictionary<string, HashSet<string>> _byCode = new(StringComparer.Ordinal);
    private readonly SortedList<long, string> _bySequence = [];
    private readonly Dictionary<string, RoutedListener> _listeners = new(StringComparer.Ordinal);

    public int Count => _listeners.Count;

    public bool Contains(string listenerId) => _listeners.ContainsKey(listenerId);

    public void Set(string listenerId, RoutedListener listener)
    {
        Remove(listenerId);
        _listeners[listenerId] = listener;
        _bySequence.Add(listener.Sequence, listenerId);
        foreach (var code in listener.Subscriptions)
        {
            if (!_byCode.TryGetValue(code, out var ids))
            {
                _byCode[code] = ids = new HashSet<string>(StringComparer.Ordinal);
            }

            ids.Add(listenerId);
        }
    }

    public void Remove(string listenerId)
    {
        if (!_listeners.Remove(listenerId, out var old))
        {
            return;
        }

        _bySequence.Remove(old.Sequence);
        foreach (var code in old.Subscriptions)
        {
            if (_byCode.TryGetValue(code, out var ids) && ids.Remove(listenerId) && ids.Count == 0)
            {
                _byCode.Remove(code);
            }
        }
    }

    /// <summary>Listeners subscribed to <paramref name="eventCode"/> or to everything, each once.</summary>
    public ImmutableArray<string> Match(string eventCode)
    {
        _byCode.TryGetValue(eventCode, out var exact);
        _byCode.TryGetValue(EventCatalog.AllEvents, out var all);
        if (exact is null || all is null)
        {
            return [.. exact ?? all ?? []];
        }

        var result = ImmutableArray.CreateBuilder<string>(exact.Count + all.Count);
        result.AddRange(exact);
        foreach (var id in all)
        {
            if (!exact.Contains(id))
            {
                result.Add(id);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Listeners subscribed to <paramref name="eventCode"/> by name, not through <c>*</c>.</summary>
    public ImmutableArray<string> MatchExactly(string eventCode) =>
        _byCode.TryGetValue(eventCode, out var exact) ? [.. exact] : [];

    /// <summary>Listener ids in creation order, skipping <paramref name="skip"/>.</summary>
    public IEnumerable<string> InOrder(int skip, int take) => _bySequence.Values.Skip(skip).Take(take);
}
