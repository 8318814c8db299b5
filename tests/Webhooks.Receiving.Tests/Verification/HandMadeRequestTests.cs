using System.Net;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Receiving.Tests.Infrastructure;

namespace Webhooks.Receiving.Tests.Verification;

/// <summary>
/// A receiver that requires both signatures — two secrets configured, as during a rotation, and the tenant's key set,
/// which this app serves itself and counts the fetches of — against requests made and signed by hand. Every bad one is
/// refused with its reason, and the handler never sees it.
/// </summary>
public sealed class HandMadeRequestTests : IAsyncLifetime
{
    private const string KeyId = "key-1";

    private readonly string _current = Secrets.New();
    private readonly string _previous = Secrets.New();
    private readonly TestKeySet _keySet = new();
    private readonly RSA _key;
    private ReceiverHost _receiver = null!;

    public HandMadeRequestTests() => _key = _keySet.Add(KeyId);

    public async Task InitializeAsync() => _receiver = await _keySet.StartReceiverAsync(o =>
    {
        o.Secrets.Add(_current);
        o.Secrets.Add(_previous);
        o.KeySetRefreshInterval = TimeSpan.Zero;
    });

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _keySet.Dispose();
    }

    [Fact]
    public async Task SignedDelivery_IsHandedToTheHandler_WithItsFieldsAndKey_AndAnswered204()
    {
        var delivery = HandMadeDelivery.Create();

        using var response = await SendAsync(delivery);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var received = Assert.Single(_receiver.Handled);
        Assert.Equal((delivery.EventId, "entitlement.created", "ent_42", 1, KeyId), (received.EventId, received.EventCode, received.ResourceId, received.CallAttempt, received.SigningKeyId));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), received.EventDate);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(delivery.Timestamp), received.Timestamp);
        Assert.Equal(5, received.Payload.GetProperty("seats").GetInt32());
    }

    [Theory]
    [InlineData("current")]
    [InlineData("previous")]
    [InlineData("unknown previous")] // several signatures, as during a rotation: one that matches is enough
    public async Task Rotation_ASignatureByEitherConfiguredSecret_Verifies(string signers)
    {
        var delivery = HandMadeDelivery.Create();
        var signature = string.Join(' ', signers.Split(' ').Select(s => delivery.Hmac(s switch
        {
            "current" => _current,
            "previous" => _previous,
            _ => Secrets.New(),
        })));

        using var response = await SendAsync(delivery, signature);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(delivery.EventId, Assert.Single(_receiver.Handled).EventId);
    }

    [Fact]
    public async Task WrongSecret_Is401SignatureMismatch()
    {
        var delivery = HandMadeDelivery.Create();

        using var response = await SendAsync(delivery, delivery.Hmac(Secrets.New()));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "SignatureMismatch");
    }

    [Fact]
    public async Task BodyChangedByOneByte_Is401SignatureMismatch()
    {
        var delivery = HandMadeDelivery.Create();
        var tampered = delivery.Body.ToArray();
        var at = Encoding.UTF8.GetString(tampered).IndexOf("5}", StringComparison.Ordinal);
        tampered[at] = (byte)'9'; // seats 5 becomes 9

        using var response = await SendAsync(delivery, sentBody: tampered);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "SignatureMismatch");
    }

    [Theory]
    [InlineData(-6 * 60)] // signed in the future
    [InlineData(6 * 60)] // signed six minutes ago
    [InlineData(3 * 24 * 3600)]
    public async Task TimestampBeyondTheTolerance_Is401(int ageSeconds)
    {
        var delivery = HandMadeDelivery.Create(TimeSpan.FromSeconds(ageSeconds));

        using var response = await SendAsync(delivery);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "TimestampOutsideTolerance");
    }

    [Theory]
    [InlineData(-4 * 60)]
    [InlineData(4 * 60)]
    public async Task TimestampWithinTheTolerance_IsAccepted(int ageSeconds)
    {
        using var response = await SendAsync(HandMadeDelivery.Create(TimeSpan.FromSeconds(ageSeconds)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12.5")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task TimestampThatIsNotUnixSeconds_Is401InvalidTimestamp(string timestamp)
    {
        var delivery = HandMadeDelivery.Create();
        using var request = Request(delivery);
        request.Headers.Remove("webhook-timestamp");
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp);

        using var response = await _receiver.Client.SendAsync(request);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, timestamp.Length == 0 ? "MissingHeader" : "InvalidTimestamp");
    }

    [Fact]
    public async Task Replay_OfTheSameRequest_Is401Replay_AndTheHandlerRanOnce()
    {
        var delivery = HandMadeDelivery.Create();
        using var first = await SendAsync(delivery);
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var again = await SendAsync(delivery);

        await Refusals.AssertRefusedAsync(again, HttpStatusCode.Unauthorized, "Replay");
        Assert.Single(_receiver.Handled);
    }

    [Fact]
    public async Task NextAttemptOfTheSameEvent_IsNotAReplay()
    {
        var first = HandMadeDelivery.Create();
        using var accepted = await SendAsync(first);
        var retry = HandMadeDelivery.Create(callAttempt: 2, eventId: first.EventId);

        using var response = await SendAsync(retry);

        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([1, 2], _receiver.Handled.Select(e => e.CallAttempt));
    }

    [Fact]
    public async Task UnknownKeyId_FetchesTheKeySetAgain_AndStillUnknown_Is401UnknownSigningKey()
    {
        using var known = await SendAsync(HandMadeDelivery.Create());
        Assert.Equal(HttpStatusCode.NoContent, known.StatusCode);
        Assert.Equal(1, _keySet.Requests);
        var delivery = HandMadeDelivery.Create();

        using var response = await SendAsync(delivery, keyId: "key-2");

        await Refusals.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "UnknownSigningKey");
        Assert.DoesNotContain(_receiver.Handled, e => e.EventId == delivery.EventId);
        Assert.Equal(2, _keySet.Requests);
    }

    [Fact]
    public async Task KeyAddedToTheSet_AfterItWasCached_IsFoundByFetchingTheSetAgain()
    {
        using var known = await SendAsync(HandMadeDelivery.Create());
        var rotated = _keySet.Add("key-2");
        var delivery = HandMadeDelivery.Create();

        using var response = await SendAsync(delivery, rsaSignature: delivery.Rsa(rotated), keyId: "key-2");

        Assert.Equal(HttpStatusCode.NoContent, known.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("key-2", _receiver.Handled.Last().SigningKeyId);
        Assert.Equal(2, _keySet.Fetches);
    }

    [Fact]
    public async Task KnownKeyId_IsServedFromTheCachedKeySet()
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync(HandMadeDelivery.Create());
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.Equal(1, _keySet.Requests);
    }

    [Fact]
    public async Task RsaSignatureByAnotherKey_Is401RsaSignatureMismatch()
    {
        var delivery = HandMadeDelivery.Create();
        using var other = RSA.Create(2048);

        using var response = await SendAsync(delivery, rsaSignature: delivery.Rsa(other));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "RsaSignatureMismatch");
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    [InlineData("N-Signature")]
    public async Task MissingHeader_Is401MissingHeader(string header)
    {
        var delivery = HandMadeDelivery.Create();
        using var request = Request(delivery);
        request.Headers.Remove(header);

        using var response = await _receiver.Client.SendAsync(request);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "MissingHeader");
    }

    [Fact]
    public async Task IdHeaderThatIsNotTheBodysEventId_Is401IdMismatch()
    {
        // Both signatures are right for what was sent: only the id in the header was swapped (and signed with it).
        var delivery = HandMadeDelivery.Create() with { EventId = "evt_someone_else" };

        using var response = await SendAsync(delivery);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "IdMismatch");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"eventId\":\"evt_1\"}")]
    [InlineData("{\"eventId\":\"evt_1\",\"eventDate\":\"2026-01-01T00:00:00Z\",\"eventCode\":\"a.b\",\"resourceId\":\"r\",\"callAttempt\":\"1\"}")]
    [InlineData("{\"eventId\":\"evt_1\",\"eventDate\":\"yesterday\",\"eventCode\":\"a.b\",\"resourceId\":\"r\",\"callAttempt\":1}")]
    public async Task SignedBodyThatIsNotADelivery_Is400InvalidBody(string body)
    {
        var delivery = HandMadeDelivery.Create() with { EventId = "evt_1", Body = Encoding.UTF8.GetBytes(body) };

        using var response = await SendAsync(delivery);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "InvalidBody");
    }

    private async Task<HttpResponseMessage> SendAsync(HandMadeDelivery delivery, string? signature = null, string? rsaSignature = null, string keyId = KeyId, byte[]? sentBody = null)
    {
        using var request = delivery.Request(_receiver.Hooks, signature ?? delivery.Hmac(_current), rsaSignature ?? delivery.Rsa(_key), keyId, sentBody);
        return await _receiver.Client.SendAsync(request);
    }

    private HttpRequestMessage Request(HandMadeDelivery delivery) =>
        delivery.Request(_receiver.Hooks, delivery.Hmac(_current), delivery.Rsa(_key), KeyId);

    /// <summary>The refusal, and the handler never saw it.</summary>
    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        await Refusals.AssertRefusedAsync(response, status, reason);
        Assert.Empty(_receiver.Handled);
    }
}
