using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>What a listener receives, checked the way a listener would: the body, the headers and both signatures, verified independently.</summary>
public sealed class DeliveredRequestTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task Delivery_CarriesTheEnvelope_AndSignaturesAListenerCanVerify_OnEveryAttempt()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500, 200);
        var tenant = await Server.CreateTenantAsync("Signed");
        var created = await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "entitlement.created");
        var secret = created.String("secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var modulus = await tenant.Client.ModulusAsync();
        var payload = new { seats = 5, features = new[] { "offline", "ü-ß" }, nested = new { ok = true, none = (string?)null } };

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", "ent_123", payload);

        var requests = await endpoint.WaitForAsync(eventId, 2);
        Assert.Equal(2, requests.Count);
        foreach (var (request, attempt) in requests.Select((r, i) => (r, i + 1)))
        {
            var body = request.Json;
            Assert.Equal(["eventId", "eventDate", "eventCode", "resourceId", "callAttempt", "payload"], body.EnumerateObject().Select(p => p.Name));
            Assert.Equal(eventId, body.String("eventId"));
            Assert.Equal("entitlement.created", body.String("eventCode"));
            Assert.Equal("ent_123", body.String("resourceId"));
            Assert.Equal(attempt, body.Int("callAttempt"));
            Assert.Equal(JsonSerializer.Serialize(payload), body.GetProperty("payload").GetRawText());
            var eventDate = body.String("eventDate");
            Assert.EndsWith("Z", eventDate, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(eventDate, CultureInfo.InvariantCulture).Offset);

            Assert.Equal("application/json", MediaTypeHeaderValue.Parse(request.Headers["Content-Type"]).MediaType);
            Assert.Contains("Webhooks.Orleans", request.Headers["User-Agent"], StringComparison.Ordinal);
            Assert.Equal(eventId, request.Headers["webhook-id"]); // the same on every attempt: listeners de-duplicate on it
            Assert.True(long.TryParse(request.Headers["webhook-timestamp"], CultureInfo.InvariantCulture, out _));

            Assert.True(request.HasValidNSignature(modulus), $"N-Signature of attempt {attempt} does not verify");
            var signature = Assert.Single(request.StandardSignatures());
            Assert.True(request.Verifies(signature, secret), $"webhook-signature of attempt {attempt} does not verify");
        }

        // The verifications above are not vacuous: another body or another secret fails them.
        var tampered = requests[0] with { Body = [.. requests[0].Body[..^1], (byte)' '] };
        Assert.False(tampered.HasValidNSignature(modulus));
        Assert.False(requests[0].Verifies(requests[0].StandardSignatures()[0], "whsec_" + Convert.ToBase64String(new byte[32])));
        Assert.Equal(eventId, (await tenant.Client.WaitForStatusAsync(created.String("id"), eventId, "succeeded")).String("eventId"));
    }

    [Fact]
    public async Task Delivery_AfterASecretRotation_IsSignedWithBothTheOldAndTheNewSecret()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Rotating");
        var created = await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");
        var (id, oldSecret) = (created.String("id"), created.String("secret"));
        var before = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        Assert.True(before.Verifies(Assert.Single(before.StandardSignatures()), oldSecret));

        using var rotate = await tenant.Client.PostAsync($"{Route}/{id}/secret/rotate", null);

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var newSecret = (await Json.ReadObjectAsync(rotate)).String("secret");
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, newSecret);

        var after = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        var signatures = after.StandardSignatures();
        Assert.Equal(2, signatures.Length);
        Assert.Single(signatures, s => after.Verifies(s, oldSecret));
        Assert.Single(signatures, s => after.Verifies(s, newSecret));
        Assert.DoesNotContain(signatures, s => after.Verifies(s, oldSecret) && after.Verifies(s, newSecret));
    }
}
