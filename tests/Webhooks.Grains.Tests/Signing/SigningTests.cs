using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Signing;

namespace Webhooks.Grains.Tests.Signing;

public sealed class SigningTests
{
    private static readonly SecretProtector Protector = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void StandardSignature_VerifiesWithTheIndependentImplementation_ForEachSecretDuringARotation()
    {
        var (oldSecret, newSecret) = (ListenerSecrets.Create(), ListenerSecrets.Create());
        var body = """{"eventId":"event_1","payload":{"ü":"ß"}}"""u8.ToArray();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var header = StandardWebhookSignature.Compute([ListenerSecrets.KeyBytes(newSecret), ListenerSecrets.KeyBytes(oldSecret)], "event_1", timestamp, body);

        // The package's verifier stops at the first signature that does not match, so each one is checked alone.
        var signatures = header.Split(' ');
        Assert.Equal(2, signatures.Length);
        foreach (var (secret, signature) in new[] { newSecret, oldSecret }.Zip(signatures))
        {
            var headers = new HeaderDictionary
            {
                ["webhook-id"] = "event_1",
                ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["webhook-signature"] = signature,
            };
            new StandardWebhook(secret).Verify(Encoding.UTF8.GetString(body), headers);
        }

        var stranger = new HeaderDictionary { ["webhook-id"] = "event_1", ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), ["webhook-signature"] = header };
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(ListenerSecrets.Create()).Verify(Encoding.UTF8.GetString(body), stranger));
    }

    [Fact]
    public void TenantKey_SignsBodies_ThatVerifyWithThePublicModulusAlone()
    {
        var (protectedKey, modulus) = TenantSigningKey.Create(Protector);
        using var key = TenantSigningKey.Load(Protector, protectedKey);
        var body = """{"eventId":"event_2"}"""u8.ToArray();

        var signature = TenantSigningKey.Sign(key, body);

        using var verifier = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(modulus), Exponent = Base64Url.DecodeFromChars("AQAB") });
        Assert.Equal(TenantSigningKey.KeySizeBits, verifier.KeySize);
        Assert.True(verifier.VerifyData(body, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.False(verifier.VerifyData("""{"eventId":"event_3"}"""u8, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void TenantKey_AtRest_IsCiphertextThatOnlyItsProtectorOpens()
    {
        var (protectedKey, _) = TenantSigningKey.Create(Protector);
        using var opened = TenantSigningKey.Load(Protector, protectedKey);
        var clear = opened.ExportPkcs8PrivateKey();

        Assert.Equal(-1, protectedKey.AsSpan().IndexOf(clear.AsSpan(clear.Length - 64)));
        Assert.ThrowsAny<CryptographicException>(() => TenantSigningKey.Load(new SecretProtector(new EphemeralDataProtectionProvider()), protectedKey));
    }

    [Fact]
    public void DeliveryBody_HasTheCompatibleShape_WithThePayloadVerbatim()
    {
        var delivery = new DeliveryRecord
        {
            EventId = "event_9", EventCode = "entitlement.created", ResourceId = "ent_1",
            EventDate = new DateTimeOffset(2026, 11, 28, 5, 6, 7, 891, TimeSpan.FromHours(2)), Payload = """{"seats": 5, "nested": [1, {"a": null}]}""",
        };

        using var body = JsonDocument.Parse(DeliveryBody.Serialize(delivery, 3));

        var root = body.RootElement;
        Assert.Equal(["eventId", "eventDate", "eventCode", "resourceId", "callAttempt", "payload"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("event_9", root.GetProperty("eventId").GetString());
        Assert.Equal("2026-11-28T03:06:07.891Z", root.GetProperty("eventDate").GetString());
        Assert.Equal("entitlement.created", root.GetProperty("eventCode").GetString());
        Assert.Equal("ent_1", root.GetProperty("resourceId").GetString());
        Assert.Equal(3, root.GetProperty("callAttempt").GetInt32());
        Assert.Equal(5, root.GetProperty("payload").GetProperty("seats").GetInt32());
        delivery.Payload = null;
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(DeliveryBody.Serialize(delivery, 1)).RootElement.GetProperty("payload").ValueKind);
    }
}
