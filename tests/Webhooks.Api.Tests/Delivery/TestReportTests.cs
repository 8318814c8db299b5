using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// The test that reports: with <c>wait=true</c> (or <c>Prefer: wait=N</c>) the Test answers with its attempt's outcome and,
/// from a forged copy sent right after, whether the listener checks signatures; without, it stays the compatible 204.
/// </summary>
public sealed class TestReportTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    private const string ProbeHeader = "webhook-probe";

    [Fact]
    public async Task TestWithWait_ToAListenerThatChecksSignatures_ReportsVerified_AndTheProbeIsForged()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var (tenant, id, secret) = await ListenerAsync(endpoint);
        endpoint.AnswerWith(r => r.StandardSignatures().Any(s => r.Verifies(s, secret)) ? 200 : 401);

        var report = await TestAsync(tenant, id, "?wait=true", HttpStatusCode.OK);

        Assert.Equal("verified", report.String("signatureCheck"));
        Assert.Equal(200, report.Int("statusCode"));
        Assert.Equal("scripted 200", report.String("responseExcerpt"));
        Assert.Equal(JsonValueKind.Null, report.GetProperty("error").ValueKind);
        Assert.True(report.GetProperty("durationMs").GetInt64() >= 0);
        var (real, probe) = RealAndProbe(endpoint.Received);
        Assert.Equal(report.String("eventId"), real.WebhookId);
        Assert.False(real.Headers.ContainsKey(ProbeHeader));
        Assert.Equal("invalid-signature", probe.Headers[ProbeHeader]);
        Assert.NotEqual(real.WebhookId, probe.WebhookId);
        Assert.Equal(real.Body, probe.Body); // the same webhook.test body
        Assert.True(real.HasValidNSignature(await tenant.Client.ModulusAsync()));
        Assert.False(probe.HasValidNSignature(await tenant.Client.ModulusAsync()));
        Assert.DoesNotContain(probe.StandardSignatures(), s => probe.Verifies(s, secret));

        // The delivery log holds the test event's one attempt, as without a wait; the probe is no delivery.
        var delivery = await tenant.Client.WaitForStatusAsync(id, report.String("eventId"), "succeeded");
        Assert.Single(delivery.Attempts());
        Assert.Equal(1, (await tenant.Client.DeliveriesAsync(id)).Int("elementsTotal"));
    }

    [Fact]
    public async Task TestWithWait_ToAListenerThatAcceptsAnything_ReportsNotVerified()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var (tenant, id, _) = await ListenerAsync(endpoint);

        var report = await TestAsync(tenant, id, "?wait=true", HttpStatusCode.OK);

        Assert.Equal("notVerified", report.String("signatureCheck"));
        Assert.Equal(200, report.Int("statusCode"));
        RealAndProbe(endpoint.Received);
    }

    [Fact]
    public async Task TestWithWait_ToAFailingListener_ReportsItsStatus_AndUnknown_WithoutAProbe()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500);
        var (tenant, id, _) = await ListenerAsync(endpoint);

        var report = await TestAsync(tenant, id, "?wait=true", HttpStatusCode.OK);

        Assert.Equal(500, report.Int("statusCode"));
        Assert.Equal("unknown", report.String("signatureCheck"));
        Assert.Equal("scripted 500", report.String("responseExcerpt"));
        Assert.Single(endpoint.Received); // nothing to learn from a probe when the real request failed
        await tenant.Client.WaitForStatusAsync(id, report.String("eventId"), "failed");
    }

    [Fact]
    public async Task TestWithWait_WhenTheProbeGetsA5xx_ReportsUnknown()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var (tenant, id, _) = await ListenerAsync(endpoint);
        endpoint.AnswerWith(r => r.Headers.ContainsKey(ProbeHeader) ? 503 : 200);

        var report = await TestAsync(tenant, id, "?wait=true", HttpStatusCode.OK);

        Assert.Equal(200, report.Int("statusCode"));
        Assert.Equal("unknown", report.String("signatureCheck"));
        RealAndProbe(endpoint.Received);
    }

    [Fact]
    public async Task TestWithProbeFalse_SendsExactlyOneRequest_AndNoVerdict()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var (tenant, id, _) = await ListenerAsync(endpoint);

        var report = await TestAsync(tenant, id, "?wait=true&probe=false", HttpStatusCode.OK);

        Assert.Equal(200, report.Int("statusCode"));
        Assert.Equal(JsonValueKind.Null, report.GetProperty("signatureCheck").ValueKind);
        var only = Assert.Single(endpoint.Received); // the answer came after the probe would have gone
        Assert.Equal(report.String("eventId"), only.WebhookId);
    }

    [Fact]
    public async Task TestWithPreferWait_ToAHangingListener_Answers202WithTheEventId_BeforeTheListenerAnswers()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (tenant, id, _) = await ListenerAsync(listener.Hang);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Route}/{id}/test");
        request.Headers.TryAddWithoutValidation("Prefer", "wait=1");

        using var response = await tenant.Client.SendAsync(request);

        // The listener still hangs (it is released only when the receiver stops), so the wait's bound ended the call.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("wait=1", string.Join(",", response.Headers.GetValues("Preference-Applied")));
        var report = await Json.ReadObjectAsync(response);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("statusCode").ValueKind);
        Assert.Equal("unknown", report.String("signatureCheck"));
        var delivery = await tenant.Client.WaitForDeliveryAsync(id, report.String("eventId"), _ => true);
        Assert.Equal("pending", delivery.String("status"));
    }

    [Fact]
    public async Task TestWithoutWait_Answers204WithNoBody_AndSendsNoProbe()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var (tenant, id, _) = await ListenerAsync(endpoint);

        using var response = await tenant.Client.PostAsync($"{Route}/{id}/test", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await endpoint.WaitForCountAsync(1);
        var eventId = endpoint.Received[0].WebhookId!;
        await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");
        Assert.Single(endpoint.Received); // the outcome is stored after the attempt; a probe would have followed it at once
    }

    [Fact]
    public async Task TestOnADisabledListener_IsSent_AndTheListenerStaysDisabledWithItsParkedEventsUntouched()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var (tenant, id, _) = await ListenerAsync(endpoint);
        using (var disable = await tenant.Client.PostAsync($"{Route}/{id}/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        var (parkedId, _) = await tenant.Client.PublishAsync("entitlement.created");

        var report = await TestAsync(tenant, id, "?wait=true", HttpStatusCode.OK);
        using var plain = await tenant.Client.PostAsync($"{Route}/{id}/test", null);
        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);

        Assert.Equal(200, report.Int("statusCode"));
        Assert.Equal("notVerified", report.String("signatureCheck"));
        await endpoint.WaitForCountAsync(3); // the reported test and its probe, then the plain test
        var plainId = endpoint.Received[2].WebhookId!;
        await tenant.Client.WaitForStatusAsync(id, plainId, "succeeded");
        Assert.Empty(endpoint.Of(parkedId));
        Assert.False((await tenant.Client.GetListenerAsync(id)).GetProperty("enabled").GetBoolean());
        var parked = Assert.Single((await tenant.Client.DeliveriesAsync(id, "?status=parked")).GetProperty("items").EnumerateArray());
        Assert.Equal(parkedId, parked.String("eventId"));
        Assert.Empty(parked.Attempts());
    }

    private async Task<(TestTenant Tenant, string Id, string Secret)> ListenerAsync(ScriptedEndpoint endpoint) => await ListenerAsync(endpoint.Uri);

    private async Task<(TestTenant Tenant, string Id, string Secret)> ListenerAsync(Uri uri)
    {
        var tenant = await Server.CreateTenantAsync("Reported tests");
        var created = await tenant.Client.CreateListenerAsync(uri.ToString(), "entitlement.created");
        return (tenant, created.String("id"), created.String("secret"));
    }

    private static async Task<JsonElement> TestAsync(TestTenant tenant, string id, string query, HttpStatusCode expected)
    {
        using var response = await tenant.Client.PostAsync($"{Route}/{id}/test{query}", null);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadObjectAsync(response);
    }

    /// <summary>The two requests of a probed test, the real one first, asserting there were exactly those.</summary>
    private static (ReceivedRequest Real, ReceivedRequest Probe) RealAndProbe(IReadOnlyList<ReceivedRequest> received)
    {
        Assert.Equal(2, received.Count);
        return (received[0], received[1]);
    }
}
