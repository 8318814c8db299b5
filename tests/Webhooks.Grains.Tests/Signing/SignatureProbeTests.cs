using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Signing;

namespace Webhooks.Grains.Tests.Signing;

/// <summary>The forged copy of a test event, and the verdict drawn from what the listener answered to it.</summary>
public sealed class SignatureProbeTests
{
    private static readonly DeliveryRequest Real = new(
        "wh_listener", new Uri("https://hooks.example.com/"), """{"eventId":"event_1"}"""u8.ToArray(),
        [
            new(DeliverySigner.SignatureHeader, "cmVhbA=="),
            new(DeliverySigner.SignatureKeyIdHeader, "kid-1"),
            new(DeliverySigner.IdHeader, "event_1"),
            new(DeliverySigner.TimestampHeader, "1700000000"),
            new(DeliverySigner.HmacHeader, "v1,cmVhbA=="),
            new("Authorization", "Bearer listener-own"),
        ]);

    [Fact]
    public void Forge_ReplacesTheSignaturesIdAndTimestamp_KeepsBodyKeyIdAndOwnHeaders_AndMarksTheProbe()
    {
        var probe = SignatureProbe.Forge(Real, "probe_1", 1700000100);

        var headers = probe.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(Real.Body.ToArray(), probe.Body.ToArray());
        Assert.Equal(Real.Target, probe.Target);
        Assert.NotEqual("cmVhbA==", headers[DeliverySigner.SignatureHeader]);
        Assert.Equal(256, Convert.FromBase64String(headers[DeliverySigner.SignatureHeader]).Length);
        Assert.StartsWith("v1,", headers[DeliverySigner.HmacHeader], StringComparison.Ordinal);
        Assert.NotEqual("v1,cmVhbA==", headers[DeliverySigner.HmacHeader]);
        Assert.Equal("probe_1", headers[DeliverySigner.IdHeader]);
        Assert.Equal("1700000100", headers[DeliverySigner.TimestampHeader]);
        Assert.Equal("kid-1", headers[DeliverySigner.SignatureKeyIdHeader]);
        Assert.Equal("Bearer listener-own", headers["Authorization"]);
        Assert.Equal("invalid-signature", headers["webhook-probe"]);
        Assert.NotEqual(Real.ListenerId, probe.ListenerId); // its refusals never count against the listener's circuit
    }

    [Theory]
    [InlineData(DeliverySigner.HmacHeader)]
    [InlineData(DeliverySigner.SignatureHeader)]
    public void Forge_OfAListenerWithOneSignature_ForgesThatOne_AndAddsNoOther(string kept)
    {
        var real = Real with
        {
            Headers = [.. Real.Headers.Where(h => h.Key is not (DeliverySigner.SignatureHeader or DeliverySigner.SignatureKeyIdHeader or DeliverySigner.HmacHeader) || h.Key == kept)],
        };

        var headers = SignatureProbe.Forge(real, "probe_1", 1700000100).Headers.ToDictionary(h => h.Key, h => h.Value);

        Assert.NotEqual(real.Headers.Single(h => h.Key == kept).Value, headers[kept]);
        Assert.Equal(kept == DeliverySigner.SignatureHeader, headers.ContainsKey(DeliverySigner.SignatureHeader));
        Assert.Equal(kept == DeliverySigner.HmacHeader, headers.ContainsKey(DeliverySigner.HmacHeader));
        Assert.Equal("invalid-signature", headers["webhook-probe"]);
    }

    [Theory]
    [InlineData(200, 401, SignatureCheck.Verified)]
    [InlineData(204, 400, SignatureCheck.Verified)]
    [InlineData(200, 200, SignatureCheck.NotVerified)]
    [InlineData(200, 202, SignatureCheck.NotVerified)]
    [InlineData(200, 500, SignatureCheck.Unknown)]
    [InlineData(200, 302, SignatureCheck.Unknown)]
    [InlineData(200, null, SignatureCheck.Unknown)]
    [InlineData(500, 401, SignatureCheck.Unknown)]
    public void Judge_NamesTheVerdict(int realStatus, int? probeStatus, SignatureCheck expected)
    {
        var real = Outcome(realStatus);
        var probe = probeStatus is { } status ? Outcome(status) : new AttemptOutcome(false, null, TimeSpan.FromSeconds(1), "timed out", null, null);

        Assert.Equal(expected, SignatureProbe.Judge(real, probe));
    }

    [Fact]
    public void Judge_WithoutAProbeAnswer_IsUnknown() => Assert.Equal(SignatureCheck.Unknown, SignatureProbe.Judge(Outcome(200), null));

    private static AttemptOutcome Outcome(int status) => new(status is >= 200 and < 300, status, TimeSpan.FromMilliseconds(5), null, null, null);
}
