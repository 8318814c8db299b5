using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>A rotation runs its whole course on its own: published, then signing, then the old key gone from the key set.</summary>
public sealed class SigningKeyExpiryTests(ShortKeyScheduleServer server) : ApiTest(server), IClassFixture<ShortKeyScheduleServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Rotation_SwitchesAtActivation_ThenDropsTheOldKeyAfterRetirement_AndAKidListenerVerifiesThroughout()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var endpoint = receiver.Endpoint(200);
        var tenant = await Server.CreateTenantAsync("Runs out");
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "entitlement.created");
        using var anonymous = Server.CreateClient();
        var old = await KeyRotationClient.CredentialsAsync(tenant.Client);

        using var rotate = await tenant.Client.PostAsync("api/v1/account/credentials/rotate", null);
        var next = (await Json.ReadObjectAsync(rotate)).String("kid");
        var (published, _) = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);
        Assert.Contains(next, published.Keys); // published at once, before it signs

        // Before activation this delivery loads the silo's copy of the keys, the waiting one with its activation time.
        var early = await DeliverAsync(tenant, endpoint, "ent_early");
        Assert.True(early.HasValidNSignature(published[early.Headers["N-Signature-Key-Id"]]));
        Assert.Equal(early.Headers["N-Signature-Key-Id"] == old.Kid, early.HasValidNSignature(old.Modulus));

        await UntilAsync(async () => (await KeyRotationClient.CredentialsAsync(tenant.Client)).Kid == next, "the credentials show the new key");
        var late = await DeliverAsync(tenant, endpoint, "ent_late");
        Assert.Equal(next, late.Headers["N-Signature-Key-Id"]);
        Assert.True(late.HasValidNSignature(published[next]), "a listener verifying by kid from the key set verifies after activation");
        Assert.False(late.HasValidNSignature(old.Modulus), "a listener pinned to the old modulus fails after activation");

        await UntilAsync(async () => (await KeyRotationClient.KeySetAsync(anonymous, tenant.Id)).Keys.Count == 1, "the old key leaves the key set");
        var (remaining, _) = await KeyRotationClient.KeySetAsync(anonymous, tenant.Id);
        Assert.Equal([next], remaining.Keys);
        Assert.Equal(next, (await KeyRotationClient.CredentialsAsync(tenant.Client)).Kid);
    }

    private static async Task<ReceivedRequest> DeliverAsync(TestTenant tenant, ScriptedEndpoint endpoint, string resourceId)
    {
        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", resourceId, new { seats = 1 });
        return Assert.Single(await endpoint.WaitForAsync(eventId, 1));
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Waited {Patience} for {what}.");
            await Task.Delay(100);
        }
    }
}
