using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiving.Tests.Infrastructure;

namespace Webhooks.Receiving.Tests.Verification;

/// <summary>
/// The key set on a receiver's clock (a fake one, started at the real time so hand-made timestamps stay fresh): kept for
/// its max-age, then revalidated with its ETag; kept when a fetch fails; fetched for an unknown key id at most once per
/// refresh interval.
/// </summary>
public sealed class KeySetCachingTests : IAsyncLifetime
{
    private const string KeyId = "key-1";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TestKeySet _keySet = new() { MaxAgeSeconds = 60 };
    private readonly RSA _key;
    private ReceiverHost _receiver = null!;

    public KeySetCachingTests() => _key = _keySet.Add(KeyId);

    public async Task InitializeAsync() => _receiver = await _keySet.StartReceiverAsync(o => o.TimeProvider = _time);

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _keySet.Dispose();
    }

    [Fact]
    public async Task ExpiredKeySet_IsRevalidatedWithItsETag_AndKeepsVerifying()
    {
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync());
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync());
        Assert.Equal((1, 0), (_keySet.Fetches, _keySet.NotModified));

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync());
        Assert.Equal((1, 1), (_keySet.Fetches, _keySet.NotModified));
    }

    [Fact]
    public async Task KeySetThatFailsWhenItIsDue_LeavesTheKnownKeysVerifying()
    {
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync());
        _keySet.Failing = true;

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync());
        Assert.Equal(2, _receiver.Handled.Count);
    }

    [Fact]
    public async Task UnknownKeyIds_FetchTheSetAtMostOncePerRefreshInterval()
    {
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("forged-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("forged-2"));
        Assert.Equal(1, _keySet.Requests);

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("forged-3"));
        Assert.Equal(2, _keySet.Requests);
    }

    private async Task<HttpStatusCode> SendAsync(string keyId = KeyId)
    {
        var delivery = HandMadeDelivery.Create();
        using var request = delivery.Request(_receiver.Hooks, signature: null, delivery.Rsa(_key), keyId);
        using var response = await _receiver.Client.SendAsync(request);
        return response.StatusCode;
    }
}
