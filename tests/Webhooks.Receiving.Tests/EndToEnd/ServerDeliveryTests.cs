using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Receiving.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Receiving.Tests.EndToEnd;

/// <summary>
/// The real server in-process (silo, API, SQLite, real HTTP delivery) and a receiver app on Kestrel registered with it
/// as a listener: what the server sends verifies, both signatures at once, by the pinned modulus and by the key set.
/// </summary>
public sealed class ServerDeliveryTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task PublishedEvent_VerifiesBySecretAndPinnedModulus_AndReachesTheHandler()
    {
        var (tenant, listenerId, secret, port) = await RegisterListenerAsync("Pinned");
        await using var receiver = await StartVerifyingBothAsync(tenant, secret, port);

        var (eventId, matched) = await tenant.Client.PublishAsync("entitlement.created", "ent_e2e", new { seats = 7, name = "pro" });

        Assert.Equal(1, matched);
        var received = await receiver.WaitForAsync(e => e.EventId == eventId);
        Assert.Equal(("entitlement.created", "ent_e2e", 1, null), (received.EventCode, received.ResourceId, received.CallAttempt, received.SigningKeyId));
        Assert.Equal(7, received.Payload.GetProperty("seats").GetInt32());
        Assert.Equal(new Plan(7, "pro"), received.PayloadAs<Plan>());
        var delivery = await tenant.Client.WaitForStatusAsync(listenerId, eventId, "succeeded");
        Assert.Equal(204, Assert.Single(delivery.Attempts()).StatusCode());
    }

    [Fact]
    public async Task PublishedEvent_VerifiesByTheTenantsKeySet_NamingTheKeyThatSignedIt()
    {
        var (tenant, listenerId, secret, port) = await RegisterListenerAsync("KeySet");
        await using var receiver = await ReceiverHost.StartAsync(
            o =>
            {
                o.Secrets.Add(secret);
                o.KeySetUri = new Uri(Server.BaseAddress, $".well-known/webhooks/{tenant.Id}/jwks.json");
            },
            port);
        using var credentials = await tenant.Client.GetAsync("api/v1/account/credentials");
        var kid = (await Json.ReadObjectAsync(credentials)).String("kid");

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", "ent_jwks", new { seats = 1 });

        var received = await receiver.WaitForAsync(e => e.EventId == eventId);
        Assert.Equal(kid, received.SigningKeyId);
        await tenant.Client.WaitForStatusAsync(listenerId, eventId, "succeeded");
    }

    [Fact]
    public async Task AcrossAnEmergencyKeyRotation_AReceiverOnTheKeySetKeepsVerifying_FetchingTheSetAgainForTheNewKid()
    {
        var (tenant, listenerId, secret, port) = await RegisterListenerAsync("Key rotation");
        await using var receiver = await ReceiverHost.StartAsync(
            o =>
            {
                o.Secrets.Add(secret);
                o.KeySetUri = new Uri(Server.BaseAddress, $".well-known/webhooks/{tenant.Id}/jwks.json");
                o.RequiredSignatures = WebhookSignatures.Both;
                // By default an unknown kid fetches the set again at most every 30 s (the server's retries cover that);
                // this test's retry schedule ends within 2 s, so the receiver may ask at once.
                o.KeySetRefreshInterval = TimeSpan.Zero;
            },
            port);
        var before = (await tenant.Client.PublishAsync("entitlement.created", "ent_before")).EventId;
        var old = (await receiver.WaitForAsync(e => e.EventId == before)).SigningKeyId; // the receiver now holds the set of one key

        using var rotate = await tenant.Client.PostAsync("api/v1/account/credentials/rotate", Json.Raw("""{"activateNow":true}"""));
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var next = (await Json.ReadObjectAsync(rotate)).String("kid");
        var after = (await tenant.Client.PublishAsync("entitlement.created", "ent_after")).EventId;

        var received = await receiver.WaitForAsync(e => e.EventId == after);
        Assert.NotEqual(old, next);
        Assert.Equal(next, received.SigningKeyId);
        Assert.Equal(204, Assert.Single((await tenant.Client.WaitForStatusAsync(listenerId, after, "succeeded")).Attempts()).StatusCode());
    }

    [Fact]
    public async Task HandlerThatThrows_Gets500_AndTheServersRetryIsHandedOverAsTheNextAttempt()
    {
        var (tenant, listenerId, secret, port) = await RegisterListenerAsync("Retry");
        await using var receiver = await ReceiverHost.StartAsync(
            o => o.Secrets.Add(secret),
            port,
            onEvent: e => e.CallAttempt == 1 ? throw new InvalidOperationException("the handler's store is down") : Task.CompletedTask);

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", "ent_retry");

        await receiver.WaitForAsync(e => e.EventId == eventId && e.CallAttempt == 2);
        var delivery = await tenant.Client.WaitForStatusAsync(listenerId, eventId, "succeeded");
        Assert.Equal([500, 204], delivery.Attempts().Select(a => a.StatusCode() ?? 0));
    }

    [Fact]
    public async Task TestEvent_ReachesTheHandler_WithTheListenersIdAndNoPayload()
    {
        var (tenant, listenerId, secret, port) = await RegisterListenerAsync("Test");
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(secret), port);

        using var response = await tenant.Client.PostAsync($"{Route}/{listenerId}/test", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var received = await receiver.WaitForAsync(e => e.IsTest);
        Assert.Equal(listenerId, received.ResourceId);
        Assert.Equal(JsonValueKind.Null, received.Payload.ValueKind);
    }

    [Fact]
    public async Task ReportedTest_ToAReceiverThatVerifiesBothSignatures_SaysVerified_AndOnlyTheRealEventReachesTheHandler()
    {
        var (tenant, listenerId, secret, port) = await RegisterListenerAsync("Probe");
        await using var receiver = await StartVerifyingBothAsync(tenant, secret, port);

        using var response = await tenant.Client.PostAsync($"{Route}/{listenerId}/test?wait=true", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await Json.ReadObjectAsync(response);
        Assert.Equal("verified", report.String("signatureCheck"));
        Assert.Equal(204, report.Int("statusCode"));
        var received = await receiver.WaitForAsync(e => e.IsTest);
        Assert.Equal(report.String("eventId"), received.EventId);
        Assert.Single(receiver.Handled); // the probe was refused before any handler ran, and answered before the report came
    }

    [Fact]
    public async Task AfterASecretRotation_AReceiverWithOnlyTheNewSecretVerifies()
    {
        var (tenant, listenerId, _, port) = await RegisterListenerAsync("Rotation");
        using var rotate = await tenant.Client.PostAsync($"{Route}/{listenerId}/secret/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var newSecret = (await Json.ReadObjectAsync(rotate)).String("secret");
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(newSecret), port);

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", "ent_rotated");

        await receiver.WaitForAsync(e => e.EventId == eventId);
    }

    [Fact]
    public async Task WrongSecret_IsRefusedWith401_TheServerLogsTheReason_AndTheHandlerNeverRuns()
    {
        var (tenant, listenerId, _, port) = await RegisterListenerAsync("Wrong");
        await using var receiver = await ReceiverHost.StartAsync(o => o.Secrets.Add(Secrets.New()), port);

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", "ent_wrong");

        var delivery = await tenant.Client.WaitForDeliveryAsync(listenerId, eventId, d => d.Attempts().Length > 0);
        var attempt = delivery.Attempts()[0];
        Assert.Equal(401, attempt.StatusCode());
        Assert.Contains("SignatureMismatch", attempt.GetProperty("responseBody").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Handled);
    }

    /// <summary>A tenant with a listener at a free loopback port's <c>/hooks</c>, where the test then starts its receiver.</summary>
    private async Task<(TestTenant Tenant, string ListenerId, string Secret, int Port)> RegisterListenerAsync(string name)
    {
        var tenant = await Server.CreateTenantAsync(name);
        var port = ReceiverHost.FreePort();
        var created = await tenant.Client.CreateListenerAsync($"http://127.0.0.1:{port}/hooks", "entitlement.created");
        return (tenant, created.String("id"), created.String("secret"), port);
    }

    /// <summary>A receiver that requires both signatures: the listener's secret, and the tenant's modulus pinned.</summary>
    private static async Task<ReceiverHost> StartVerifyingBothAsync(TestTenant tenant, string secret, int port)
    {
        var modulus = await tenant.Client.ModulusAsync();
        return await ReceiverHost.StartAsync(
            o =>
            {
                o.Secrets.Add(secret);
                o.PublicKeyModulus = modulus;
                o.RequiredSignatures = WebhookSignatures.Both;
            },
            port);
    }

    private sealed record Plan(int Seats, string Name);
}
