using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>A tenant cannot rotate another tenant's listener secret, nor read its signing key.</summary>
public sealed class DeliveryIsolationTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    // Tenants/TenantIsolationTests runs every endpoint against another tenant's listener; a rotation leaves no trace
    // in what the API shows, so only the next delivery's signature can prove that a refused rotation did nothing.
    [Fact]
    public async Task RotateSecret_WithAnotherTenantsKey_Returns404_AndTheOriginalSecretAloneKeepsSigning()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var a = await Server.CreateTenantAsync("Tenant A");
        var b = await Server.CreateTenantAsync("Tenant B");
        var created = await b.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");
        var (id, secret) = (created.String("id"), created.String("secret"));
        using var platformAsA = Server.CreateClient(ApiServer.PlatformKey, a.Id);

        foreach (var client in new[] { a.Client, platformAsA })
        {
            using var response = await client.PostAsync($"{Route}/{id}/secret/rotate", null);
            await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        }

        var delivered = (await endpoint.WaitForAsync((await b.Client.PublishAsync("customer.created")).EventId)).Single();
        Assert.True(delivered.Verifies(Assert.Single(delivered.StandardSignatures()), secret));
    }

    [Fact]
    public async Task Credentials_AreAlwaysTheCallersOwn()
    {
        var a = await Server.CreateTenantAsync("Tenant A");
        var b = await Server.CreateTenantAsync("Tenant B");

        var aModulus = await a.Api.ModulusAsync();
        var bModulus = await b.Api.ModulusAsync();
        var platformAsB = Server.CreateApiClient(ApiServer.PlatformKey, b.Id);
        using var aNamingB = new HttpRequestMessage(HttpMethod.Get, "api/v1/account/credentials") { Headers = { { "N-TenantId", b.Id } } };
        using var refused = await a.Client.SendAsync(aNamingB);

        Assert.NotEqual(aModulus, bModulus);
        Assert.Equal(bModulus, await platformAsB.ModulusAsync());
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain(bModulus, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(aModulus, await a.Api.ModulusAsync());
    }
}
