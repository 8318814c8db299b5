using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>A tenant cannot test, read, redeliver, recover, rotate or enable another tenant's listener, nor read its key: 404, and nothing changes.</summary>
public sealed class DeliveryIsolationTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task ListenerActions_WithAnotherTenantsKey_Return404_AndChangeNothing()
    {
        await using var listener = await ScriptedListener.StartAsync();
        var endpoint = listener.Endpoint(500);
        var a = await Server.CreateTenantAsync("Tenant A");
        var b = await Server.CreateTenantAsync("Tenant B");
        var created = await b.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");
        var (id, secret) = (created.String("id"), created.String("secret"));
        var (eventId, _) = await b.Client.PublishAsync("entitlement.created");
        await b.Client.WaitForStatusAsync(id, eventId, "failed"); // something redeliver and recover could act on
        var logBefore = (await b.Client.DeliveriesAsync(id)).GetRawText();
        var listenerBefore = (await b.Client.GetListenerAsync(id)).GetRawText();
        var receivedBefore = endpoint.Received.Count;
        using var platformAsA = Server.CreateClient(ApiServer.PlatformKey, a.Id);

        foreach (var client in new[] { a.Client, platformAsA })
        {
            foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
            {
                (HttpMethod.Post, $"{Route}/{id}/test", null),
                (HttpMethod.Get, $"{Route}/{id}/deliveries", null),
                (HttpMethod.Post, $"{Route}/{id}/deliveries/{eventId}/redeliver", null),
                (HttpMethod.Post, $"{Route}/{id}/recover", """{"since":"2000-01-01T00:00:00Z"}"""),
                (HttpMethod.Post, $"{Route}/{id}/secret/rotate", null),
                (HttpMethod.Post, $"{Route}/{id}/enable", null),
            })
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json.Raw(body) };
                using var response = await client.SendAsync(request);
                await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
            }
        }

        // Every one of those would have changed the log synchronously (a queued test, a re-queued delivery).
        Assert.Equal(logBefore, (await b.Client.DeliveriesAsync(id)).GetRawText());
        Assert.Equal(listenerBefore, (await b.Client.GetListenerAsync(id)).GetRawText());
        Assert.Equal(receivedBefore, endpoint.Received.Count);

        // And the secret was not rotated: B's next delivery is signed with the original secret alone.
        endpoint.AnswerNext(200);
        var marker = (await endpoint.WaitForAsync((await b.Client.PublishAsync("customer.created")).EventId)).Single();
        Assert.True(marker.Verifies(Assert.Single(marker.StandardSignatures()), secret));
    }

    [Fact]
    public async Task Credentials_AreAlwaysTheCallersOwn()
    {
        var a = await Server.CreateTenantAsync("Tenant A");
        var b = await Server.CreateTenantAsync("Tenant B");

        var aModulus = await a.Client.ModulusAsync();
        var bModulus = await b.Client.ModulusAsync();
        using var platformAsB = Server.CreateClient(ApiServer.PlatformKey, b.Id);
        using var aNamingB = new HttpRequestMessage(HttpMethod.Get, "api/v1/account/credentials") { Headers = { { "N-TenantId", b.Id } } };
        using var refused = await a.Client.SendAsync(aNamingB);

        Assert.NotEqual(aModulus, bModulus);
        Assert.Equal(bModulus, await platformAsB.ModulusAsync());
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain(bModulus, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(aModulus, await a.Client.ModulusAsync());
    }
}
