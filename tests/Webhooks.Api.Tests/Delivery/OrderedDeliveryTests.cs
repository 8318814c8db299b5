using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// Ordered delivery end to end: a listener failing 30 % of its requests at random still sees each resource's events
/// strictly in the order they were accepted, each only once the one before it was accepted, and gets all of them.
/// </summary>
public sealed class OrderedDeliveryTests(OrderedDeliveryServer server) : ApiTest(server), IClassFixture<OrderedDeliveryServer>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task ResourceOrdering_UnderRandomFailures_DeliversEveryResourceInOrder()
    {
        await using var receiver = await TestReceiver.StartAsync(new TestReceiverOptions { KeepRequests = false });
        var check = new ResourceOrderCheck(resources: 20, eventsPerResource: 50, failureRate: 0.3, seed: 16);
        var endpoint = receiver.AnsweringEndpoint(check.Answer);
        var tenant = await OrderedListenerAsync(endpoint, "resource");

        // Each resource's events one after another (that is their acceptance order), the resources side by side.
        await Task.WhenAll(check.Resources.Select(async resource =>
        {
            for (var n = 0; n < check.EventsPerResource; n++)
            {
                await tenant.Client.PublishAsync("entitlement.updated", resource, ResourceOrderCheck.Payload(n));
            }
        }));
        await check.WaitForAllAsync(Limit);

        Assert.Empty(check.Violations);
        Assert.Equal(1_000, check.AcceptedTotal);
        Assert.True(endpoint.Received.Count > 1_000, "some requests failed, and were retried"); // the 30 % did strike
    }

    [Fact]
    public async Task ListenerOrdering_UnderRandomFailures_DeliversEveryEventInAcceptanceOrder_OneAtATime()
    {
        await using var receiver = await TestReceiver.StartAsync(new TestReceiverOptions { KeepRequests = false });
        var check = new ResourceOrderCheck(resources: 1, eventsPerResource: 60, failureRate: 0.3, seed: 61) { WholeListener = true };
        var endpoint = receiver.AnsweringEndpoint(check.Answer);
        var tenant = await OrderedListenerAsync(endpoint, "listener");

        // One sequence across three resources: the listener as a whole keeps the order.
        for (var n = 0; n < check.EventsPerResource; n++)
        {
            await tenant.Client.PublishAsync("entitlement.updated", $"res_{n % 3}", ResourceOrderCheck.Payload(n));
        }

        await check.WaitForAllAsync(Limit);

        Assert.Empty(check.Violations);
        Assert.Equal(60, check.AcceptedTotal);
    }

    private async Task<TestTenant> OrderedListenerAsync(ScriptedEndpoint endpoint, string ordering)
    {
        var tenant = await Server.CreateTenantAsync("Ordered");
        using var created = await tenant.Client.PostAsync(Route, Json.Raw($$"""{"uri":"{{endpoint.Uri}}","subscriptions":["*"],"ordering":"{{ordering}}"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return tenant;
    }
}
