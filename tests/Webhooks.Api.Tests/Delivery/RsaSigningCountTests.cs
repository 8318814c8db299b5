using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Grains.Signing;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// The point of <c>signatures</c>: an event none of whose listeners takes the <c>N-Signature</c> costs no RSA operation,
/// and one that some do costs one per attempt's body, shared. Counted by the server's own <see cref="SignedBodies"/>,
/// on a server of its own so that no other test's deliveries are counted.
/// </summary>
public sealed class RsaSigningCountTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task AnEventOfOnlyStandardListeners_IsNeverRsaSigned_AndOneSomeTakeItIsSignedOnce()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Counted");
        var signed = Server.Services.GetRequiredService<SignedBodies>();
        foreach (var n in Enumerable.Range(0, 2))
        {
            await CreateAsync(tenant, endpoint, n, "standard");
        }

        var before = signed.SignaturesMade;
        var unsigned = (await tenant.Client.PublishAsync("customer.created")).EventId;
        var received = await endpoint.WaitForAsync(unsigned, 2);

        Assert.All(received, r => Assert.False(r.Headers.ContainsKey("N-Signature")));
        Assert.Equal(before, signed.SignaturesMade);

        // Two listeners that take it, beside the two that do not: one RSA signature, the same on both requests.
        foreach (var n in Enumerable.Range(2, 2))
        {
            await CreateAsync(tenant, endpoint, n, "n-signature");
        }

        var shared = (await tenant.Client.PublishAsync("customer.created")).EventId;
        var four = await endpoint.WaitForAsync(shared, 4);

        var rsa = four.Where(r => r.Headers.ContainsKey("N-Signature")).ToList();
        Assert.Equal(2, rsa.Count);
        Assert.Single(rsa.Select(r => r.Headers["N-Signature"]).Distinct());
        Assert.True(rsa[0].HasValidNSignature(await tenant.Client.ModulusAsync()));
        Assert.Equal(before + 1, signed.SignaturesMade);
    }

    private static async Task CreateAsync(TestTenant tenant, ScriptedEndpoint endpoint, int n, string signature)
    {
        using var response = await tenant.Client.PostAsync(Route, Json.Raw(JsonSerializer.Serialize(
            new { uri = $"{endpoint.Uri}?listener={n}", subscriptions = new[] { "*" }, signatures = new[] { signature } })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
