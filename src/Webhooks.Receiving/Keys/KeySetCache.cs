using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiving.Keys;

/// <summary>
/// The tenant's key set (JWKS), fetched on first use, kept for its <c>max-age</c> and revalidated with its ETag. A key id
/// it lacks fetches it again, at most once per <see cref="WebhookReceiverOptions.KeySetRefreshInterval"/>; when a fetch
/// fails the keys already known keep verifying. One fetch at a time.
/// </summary>
internal sealed class KeySetCache(IHttpClientFactory clients, IOptions<WebhookReceiverOptions> options, ILogger<KeySetCache> logger)
{
    /// <summary>The named <see cref="HttpClient"/> the key set is fetched with (configure it to add a proxy or a handler).</summary>
    public const string HttpClientName = "Webhooks.Receiving.KeySet";

    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile Snapshot? _snapshot;
    private long _failedAtTicks;

    /// <summary>The key named <paramref name="keyId"/>, or every key when <paramref name="keyId"/> is null.</summary>
    public async ValueTask<KeyLookup> FindAsync(string? keyId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = settings.TimeProvider.GetUtcNow();
        var snapshot = _snapshot;
        if ((snapshot is null || now >= snapshot.ExpiresAt) && !RecentlyFailed(now))
        {
            snapshot = await FetchAsync(snapshot, s => s is not null && now < s.ExpiresAt, cancellationToken);
        }

        if (snapshot is null)
        {
            return KeyLookup.Unavailable;
        }

        if (keyId is null)
        {
            return new KeyLookup([.. snapshot.Keys.Values]);
        }

        if (!snapshot.Keys.ContainsKey(keyId) && now - snapshot.FetchedAt >= settings.KeySetRefreshInterval && !RecentlyFailed(now))
        {
            snapshot = await FetchAsync(snapshot, s => s is not null && s.FetchedAt > snapshot.FetchedAt, cancellationToken) ?? snapshot;
        }

        return snapshot.Keys.TryGetValue(keyId, out var key) ? new KeyLookup([key]) : new KeyLookup([]);
    }

    /// <summary>Fetches the set unless another caller did while this one waited (<paramref name="fresh"/>); returns the newest snapshot.</summary>
    private async Task<Snapshot?> FetchAsync(Snapshot? known, Func<Snapshot?, bool> fresh, CancellationToken cancellationToken)
    {
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (fresh(_snapshot))
            {
                return _snapshot;
            }

            var fetched = await GetAsync(known, cancellationToken);
            if (fetched is not null)
            {
                _snapshot = fetched;
            }
            else
            {
                Interlocked.Exchange(ref _failedAtTicks, options.Value.TimeProvider.GetUtcNow().UtcTicks);
            }

            return fetched ?? known;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<Snapshot?> GetAsync(Snapshot? known, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var uri = settings.KeySetUri!;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (known?.ETag is { } etag)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var now = settings.TimeProvider.GetUtcNow();
            var expiresAt = now + (response.Headers.CacheControl?.MaxAge ?? settings.KeySetCacheDuration);
            if (response.StatusCode == HttpStatusCode.NotModified && known is not null)
            {
                return known with { FetchedAt = now, ExpiresAt = expiresAt };
            }

            if (!response.IsSuccessStatusCode)
            {
                ReceiverLog.KeySetFetchFailed(logger, uri, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            var keys = Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            ReceiverLog.KeySetFetched(logger, uri, keys.Count);
            return new Snapshot(keys, now, expiresAt, response.Headers.ETag);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or FormatException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ReceiverLog.KeySetFetchFailed(logger, uri, e.GetType().Name);
            return null;
        }
    }

    /// <summary>Whether a fetch failed within the refresh interval: the server is not asked again sooner, whatever the requests say.</summary>
    private bool RecentlyFailed(DateTimeOffset now) =>
        now.UtcTicks - Interlocked.Read(ref _failedAtTicks) < options.Value.KeySetRefreshInterval.Ticks;

    /// <summary>The RSA signing keys of a JSON Web Key Set, by id; keys of other types or uses are skipped.</summary>
    internal static Dictionary<string, RsaPublicKey> Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var keys = new Dictionary<string, RsaPublicKey>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("keys", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("A key set is an object with a \"keys\" array.");
        }

        foreach (var key in list.EnumerateArray())
        {
            if (key.ValueKind == JsonValueKind.Object && Text(key, "kty") == "RSA" && Text(key, "use") is null or "sig" && Text(key, "alg") is null or "RS256"
                && Text(key, "kid") is { } id && Text(key, "n") is { } n && Text(key, "e") is { } e)
            {
                keys[id] = new RsaPublicKey(id, Base64Url.DecodeFromChars(n), Base64Url.DecodeFromChars(e));
            }
        }

        return keys;
    }

    private static string? Text(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record Snapshot(Dictionary<string, RsaPublicKey> Keys, DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt, EntityTagHeaderValue? ETag);
}
