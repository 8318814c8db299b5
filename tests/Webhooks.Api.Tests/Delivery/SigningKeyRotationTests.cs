using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// Rotating the tenant's <c>N-Signature</c> key with the default schedule (the next key waits 24 hours, the replaced one
/// stays published 7 days after the switch): the next key is published at once, deliveries keep the old key until it
/// activates, <c>activateNow</c> switches them at once, and a listener verifying by key id from the key set passes
/// throughout while one pinned to the old modulus fails only once the new key signs.
/// </summary>
public sealed class SigningKeyRotationTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    private const string Rotate = "api/v1/account/credentials/rotate";

    [Fact]
    public async Task Rotate_PublishesTheNextKeyAtOnce_WhileDeliveriesAndCredentialsKeepTheOldKeyUntilActivation()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var (tenant, endpoint) = await ListenerAsync(receiver, "Scheduled");
        var old = await KeyRotationClient.CredentialsAsync(tenant.Client);
        using var anonymous = Server.CreateClient();
        var (_, etagBefore) = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);

        using var rotate = await tenant.Client.PostAsync(Rotate, null);

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = await Json.ReadObjectAsync(rotate);
        Assert.Equal(
            ["kid", "publicKeyModulus", "publicKeyExponent", "activatesAt", "previousKid", "previousRetiresAt"],
            rotated.EnumerateObject().Select(p => p.Name));
        Assert.NotEqual(old.Kid, rotated.String("kid"));
        Assert.Equal(old.Kid, rotated.String("previousKid"));
        var activatesAt = rotated.GetProperty("activatesAt").GetDateTimeOffset();
        Assert.True(activatesAt > DateTimeOffset.UtcNow.AddHours(23), $"the next key activates at {activatesAt:O}, a day from now");
        Assert.Equal(activatesAt + TimeSpan.FromDays(7), rotated.GetProperty("previousRetiresAt").GetDateTimeOffset());

        var (keys, etagAfter) = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);
        Assert.Equal([old.Kid, rotated.String("kid")], keys.Keys);
        Assert.Equal(rotated.String("publicKeyModulus"), keys[rotated.String("kid")]);
        Assert.NotEqual(etagBefore, etagAfter);
        Assert.Equal(old, await KeyRotationClient.CredentialsAsync(tenant.Client));

        var request = await DeliverAsync(tenant, endpoint);
        Assert.Equal(old.Kid, request.Headers["N-Signature-Key-Id"]);
        Assert.True(request.HasValidNSignature(old.Modulus), "a listener pinned to the old modulus still verifies before activation");
        Assert.True(request.HasValidNSignature(keys[request.Headers["N-Signature-Key-Id"]]), "a listener verifying by kid from the key set verifies");
        Assert.False(request.HasValidNSignature(rotated.String("publicKeyModulus")));
    }

    [Fact]
    public async Task ActivateNow_SwitchesDeliveriesAndCredentials_TheOldModulusFails_AndTheKidFromTheKeySetStillVerifies()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var (tenant, endpoint) = await ListenerAsync(receiver, "Emergency");
        var old = await KeyRotationClient.CredentialsAsync(tenant.Client);
        using var anonymous = Server.CreateClient();
        var before = await DeliverAsync(tenant, endpoint); // this silo now holds the tenant's keys
        Assert.Equal(old.Kid, before.Headers["N-Signature-Key-Id"]);

        using var rotate = await tenant.Client.PostAsync(Rotate, Json.Raw("""{"activateNow":true}"""));

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = await Json.ReadObjectAsync(rotate);
        Assert.True(rotated.GetProperty("activatesAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        var current = await KeyRotationClient.CredentialsAsync(tenant.Client);
        Assert.Equal((rotated.String("kid"), rotated.String("publicKeyModulus")), (current.Kid, current.Modulus));
        var (keys, _) = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);
        Assert.Equal([old.Kid, current.Kid], keys.Keys); // the replaced key stays published for the retirement delay

        var after = await DeliverAsync(tenant, endpoint);
        Assert.Equal(current.Kid, after.Headers["N-Signature-Key-Id"]);
        Assert.True(after.HasValidNSignature(keys[after.Headers["N-Signature-Key-Id"]]), "a listener verifying by kid from the key set verifies");
        Assert.True(after.HasValidNSignature(current.Modulus));
        Assert.False(after.HasValidNSignature(old.Modulus), "a listener pinned to the old modulus fails once the new key signs");
        Assert.True(before.HasValidNSignature(keys[before.Headers["N-Signature-Key-Id"]]), "a body signed before the switch still verifies from the key set");
    }

    [Fact]
    public async Task Rotate_WhileAKeyWaits_ReplacesTheWaitingKey_WhichNeverSigned()
    {
        var tenant = await Server.CreateTenantAsync("Twice");
        var old = await KeyRotationClient.CredentialsAsync(tenant.Client);
        using var anonymous = Server.CreateClient();
        using var first = await tenant.Client.PostAsync(Rotate, Json.Raw("{}"));
        var waiting = (await Json.ReadObjectAsync(first)).String("kid");

        using var second = await tenant.Client.PostAsync(Rotate, Json.Raw("""{"activateNow":false}"""));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var replacement = await Json.ReadObjectAsync(second);
        Assert.Equal(old.Kid, replacement.String("previousKid"));
        var (keys, _) = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);
        Assert.Equal([old.Kid, replacement.String("kid")], keys.Keys);
        Assert.DoesNotContain(waiting, keys.Keys);
        Assert.Equal(old, await KeyRotationClient.CredentialsAsync(tenant.Client));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"activateNow":""", "application/json" },
        { """{"activateNow":"yes"}""", "application/json" },
        { """{"activateNow":1}""", "application/json" },
        { "[]", "application/json" },
        { "activateNow=true", "text/plain" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Rotate_WithABadBody_IsAProblem_AndChangesNothing(string body, string mediaType)
    {
        var tenant = await Server.CreateTenantAsync("Bad body");
        var old = await KeyRotationClient.CredentialsAsync(tenant.Client);
        using var anonymous = Server.CreateClient();
        var before = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);

        using var rotate = await tenant.Client.PostAsync(Rotate, Json.Raw(body, mediaType));

        var problem = await Problems.AssertProblemAsync(rotate, mediaType == "text/plain" ? HttpStatusCode.UnsupportedMediaType : HttpStatusCode.BadRequest);
        Assert.Equal(JsonValueKind.String, problem.GetProperty("errorCode").ValueKind);
        var after = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);
        Assert.Equal(before.Keys.Keys, after.Keys.Keys);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(old, await KeyRotationClient.CredentialsAsync(tenant.Client));
    }

    [Fact]
    public async Task Rotate_FollowsTheTenantAuthRules_ThePlatformForATenant_NotWithoutOne_NorWithoutAKey()
    {
        var tenant = await Server.CreateTenantAsync("Auth");
        var old = await KeyRotationClient.CredentialsAsync(tenant.Client);

        using (var none = await Server.CreateClient().PostAsync(Rotate, null))
        {
            await Problems.AssertProblemAsync(none, HttpStatusCode.Unauthorized, "Unauthorized");
        }

        using (var platformAlone = await Server.Platform.PostAsync(Rotate, null))
        {
            await Problems.AssertProblemAsync(platformAlone, HttpStatusCode.BadRequest, "TenantRequired");
        }

        Assert.Equal(old, await KeyRotationClient.CredentialsAsync(tenant.Client));
        using var platformForTenant = Server.CreateClient(ApiServer.PlatformKey, tenant.Id);
        using var rotated = await platformForTenant.PostAsync(Rotate, Json.Raw("""{"activateNow":true}"""));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal((await Json.ReadObjectAsync(rotated)).String("kid"), (await KeyRotationClient.CredentialsAsync(tenant.Client)).Kid);
    }

    private async Task<(TestTenant Tenant, ScriptedEndpoint Endpoint)> ListenerAsync(TestReceiver receiver, string name)
    {
        var endpoint = receiver.Endpoint(200);
        var tenant = await Server.CreateTenantAsync(name);
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "entitlement.created");
        return (tenant, endpoint);
    }

    private static async Task<ReceivedRequest> DeliverAsync(TestTenant tenant, ScriptedEndpoint endpoint)
    {
        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", "ent_rotation", new { seats = 1 });
        return Assert.Single(await endpoint.WaitForAsync(eventId, 1));
    }
}
