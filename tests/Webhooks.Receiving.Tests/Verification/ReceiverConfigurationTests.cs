using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Receiving.Tests.Infrastructure;

namespace Webhooks.Receiving.Tests.Verification;

/// <summary>
/// Receivers configured other ways than both signatures: a pinned modulus alone (as Zentitle listeners verify), a
/// secret alone, a key set that cannot be fetched, a small body limit, a handler that throws, and options that cannot work.
/// </summary>
public sealed class ReceiverConfigurationTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _secret = Secrets.New();

    private string Modulus => Base64Url.EncodeToString(_key.ExportParameters(includePrivateParameters: false).Modulus);

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task PinnedModulusAlone_VerifiesNSignature_WithoutTheStandardHeaderSignature()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.PublicKeyModulus = Modulus);
        var delivery = HandMadeDelivery.Create();
        using var request = delivery.Request(receiver.Hooks, signature: null, delivery.Rsa(_key));

        using var response = await receiver.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var received = Assert.Single(receiver.Handled);
        Assert.Null(received.SigningKeyId);
    }

    [Fact]
    public async Task PinnedModulus_BodyChangedByOneByte_Is401RsaSignatureMismatch()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.PublicKeyModulus = Modulus);
        var delivery = HandMadeDelivery.Create();
        var tampered = delivery.Body.ToArray();
        tampered[^2] ^= 0x01;
        using var request = delivery.Request(receiver.Hooks, signature: null, delivery.Rsa(_key), sentBody: tampered);

        using var response = await receiver.Client.SendAsync(request);

        await Refusals.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "RsaSignatureMismatch");
        Assert.Empty(receiver.Handled);
    }

    [Fact]
    public async Task SecretAlone_VerifiesTheStandardSignature_WithoutNSignature()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(_secret));

        using var response = await SendWithSecretAsync(receiver);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(receiver.Handled);
    }

    [Fact]
    public async Task KeySetThatCannotBeFetched_Is503KeySetUnavailable()
    {
        var port = ReceiverHost.FreePort();
        await using var receiver = await ReceiverHost.StartAsync(o => o.KeySetUri = new Uri($"http://127.0.0.1:{port}/no-such-key-set.json"), port);
        var delivery = HandMadeDelivery.Create();
        using var request = delivery.Request(receiver.Hooks, signature: null, delivery.Rsa(_key), keyId: "key-1");

        using var response = await receiver.Client.SendAsync(request);

        await Refusals.AssertRefusedAsync(response, HttpStatusCode.ServiceUnavailable, "KeySetUnavailable");
        Assert.Empty(receiver.Handled);
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413BodyTooLarge()
    {
        await using var receiver = await ReceiverHost.StartAsync(o =>
        {
            o.Secrets.Add(_secret);
            o.MaxBodyBytes = 64;
        });

        using var response = await SendWithSecretAsync(receiver);

        await Refusals.AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "BodyTooLarge");
        Assert.Empty(receiver.Handled);
    }

    [Fact]
    public async Task HandlerThatThrows_Is500_WithoutTheExceptionsText()
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(_secret), onEvent: _ => throw new InvalidOperationException("database password is hunter2"));

        using var response = await SendWithSecretAsync(receiver);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(receiver.Handled);
    }

    [Theory]
    [InlineData(202)]
    [InlineData(503)] // the handler asks for a retry without throwing
    public async Task HandlerThatReturnsAResult_IsAnsweredWithIt(int status)
    {
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(_secret), respond: _ => Results.StatusCode(status));

        using var response = await SendWithSecretAsync(receiver);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Single(receiver.Handled);
    }

    [Fact]
    public async Task NoKeyMaterial_StopsTheAppAtStart_NamingWhatToSet()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ReceiverHost.StartAsync(_ => { }));

        Assert.Contains("Secrets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothAPinnedModulusAndAKeySet_StopTheAppAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ReceiverHost.StartAsync(o =>
        {
            o.PublicKeyModulus = Modulus;
            o.KeySetUri = new Uri("http://127.0.0.1:1/jwks.json");
        }));

        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_QUJD!")]
    public async Task SecretThatIsNotBase64_StopsTheAppAtStart(string secret)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ReceiverHost.StartAsync(o => o.Secrets.Add(secret)));

        Assert.Contains("Secrets", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A fresh delivery with only the Standard Webhooks signature, by this class's secret.</summary>
    private async Task<HttpResponseMessage> SendWithSecretAsync(ReceiverHost receiver)
    {
        var delivery = HandMadeDelivery.Create();
        using var request = delivery.Request(receiver.Hooks, delivery.Hmac(_secret));
        return await receiver.Client.SendAsync(request);
    }
}
