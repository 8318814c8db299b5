using System.Collections.Immutable;
using Webhooks.Abstractions.Publishing;

namespace Webhooks.Grains.Publishing;

/// <summary>
/// How a page of the events feed is put together, the same on both stores: the tenant's rows after the cursor are
/// scanned in feed order (a bounded window, without payloads), the ones the filters want are picked, and only those
/// are read in full, until the page is full or its payloads reach <see cref="MaxBytes"/>.
/// </summary>
internal static class FeedPage
{
    /// <summary>The most events one page holds.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Rows looked at for one page when it is filtered: a rare code or resource costs a bounded read, and the page's <c>next</c> goes on from there.</summary>
    public const int FilteredWindow = 5000;

    /// <summary>Payload bytes one page carries at most (always at least one event): 1,000 events of 256 KiB would be a quarter of a gigabyte.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>How many rows to scan for <paramref name="query"/>: one more than the page without filters, so the scan tells whether more follow.</summary>
    public static int Window(EventFeedQuery query) =>
        query.EventCode is null && query.ResourceId is null ? query.Limit + 1 : Math.Max(query.Limit + 1, FilteredWindow);

    /// <summary>
    /// The page for <paramref name="query"/> from the rows <paramref name="scanned"/> (in feed order, at most
    /// <see cref="Window"/> of them); <paramref name="read"/> reads the chosen events in full, in feed order, and may stop
    /// early once it is handed more payload bytes than <see cref="MaxBytes"/>.
    /// </summary>
    public static async Task<EventFeedPage> BuildAsync(
        EventFeedQuery query,
        IReadOnlyList<ScannedEvent> scanned,
        Func<IReadOnlyList<long>, Task<List<StoredEvent>>> read)
    {
        var wanted = scanned.Where(s => (query.EventCode is null || s.EventCode == query.EventCode) && (query.ResourceId is null || s.ResourceId == query.ResourceId)).ToList();
        var more = wanted.Count > query.Limit || scanned.Count >= Window(query);
        var chosen = wanted.Take(query.Limit).ToList();

        var items = ImmutableArray.CreateBuilder<StoredEvent>(chosen.Count);
        var bytes = 0L;
        var full = false;
        foreach (var stored in chosen.Count == 0 ? [] : await read([.. chosen.Select(c => c.Position.Seq)]))
        {
            bytes += stored.Payload?.Length ?? 0;
            if (items.Count > 0 && bytes > MaxBytes)
            {
                full = true;
                break;
            }

            items.Add(stored);
        }

        // Where to go on from: after the last event served when the payloads filled the page; otherwise after the last
        // one chosen (an event deleted since the scan is simply not served), or, when the window held no more wanted
        // ones than the page takes, after the last row looked at.
        FeedPosition? next = null;
        if (full)
        {
            next = items[^1].Position;
        }
        else if (more)
        {
            next = wanted.Count > query.Limit ? chosen[^1].Position : scanned[^1].Position;
        }

        return new EventFeedPage(items.DrainToImmutable(), next);
    }
}
