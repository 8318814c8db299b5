using Webhooks.Abstractions;
using Webhooks.Abstractions.Routing;
using Webhooks.Grains.Tests.Infrastructure;
using static Webhooks.Grains.Tests.Infrastructure.TestListeners;

namespace Webhooks.Grains.Tests.Routing;

public sealed class EventRouterGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private readonly WebhooksCluster _cluster = fixture.Cluster;
    private readonly string _tenantId = ResourceIds.NewTenantId();

    private IEventRouterGrain Router => _cluster.Router(_tenantId);

    [Fact]
    public async Task Match_ReturnsListenersSubscribedToTheCodeOrToEverything_EachOnce()
    {
        var created = await Router.AddListenerAsync(Definition("order.created"));
        var everything = await Router.AddListenerAsync(Definition("*"));
        var both = await Router.AddListenerAsync(Definition("*", "order.created"));
        var createdOrPaid = await Router.AddListenerAsync(Definition("order.created", "order.paid"));
        var paid = await Router.AddListenerAsync(Definition("order.paid"));

        AssertSameIds([created.Id, everything.Id, both.Id, createdOrPaid.Id], await Router.MatchAsync("order.created"));
        AssertSameIds([everything.Id, both.Id, createdOrPaid.Id, paid.Id], await Router.MatchAsync("order.paid"));
        AssertSameIds([everything.Id, both.Id], await Router.MatchAsync("invoice.sent"));
        AssertSameIds([], await _cluster.Router(ResourceIds.NewTenantId()).MatchAsync("order.created"));
    }

    [Fact]
    public async Task Update_ThatChangesCodes_RoutesTheNewCodeAndNoLongerTheOld()
    {
        var other = await Router.AddListenerAsync(Definition("order.created"));
        var listener = await Router.AddListenerAsync(Definition("order.created", "order.paid"));

        var updated = await Router.UpdateAsync(listener.Id, Definition("invoice.sent"));

        Assert.NotNull(updated);
        Assert.Equal<string>(["invoice.sent"], updated.Subscriptions);
        Assert.Equal(listener.CreatedAt, updated.CreatedAt);
        AssertSameIds([other.Id], await Router.MatchAsync("order.created"));
        AssertSameIds([], await Router.MatchAsync("order.paid"));
        AssertSameIds([listener.Id], await Router.MatchAsync("invoice.sent"));
        AssertSameView(updated, await _cluster.Listener(listener.Id).GetAsync());
        await RoutingAssert.IndexAgreesWithListenersAsync(_cluster, _tenantId, ["order.created", "order.paid", "invoice.sent"]);
    }

    [Fact]
    public async Task Remove_DeletesTheListenerAndItsRoutes()
    {
        var other = await Router.AddListenerAsync(Definition("order.created"));
        var listener = await Router.AddListenerAsync(Definition("order.created", "*"));

        Assert.True(await Router.RemoveAsync(listener.Id));

        AssertSameIds([other.Id], await Router.MatchAsync("order.created"));
        AssertSameIds([], await Router.MatchAsync("order.paid"));
        Assert.Null(await _cluster.Listener(listener.Id).GetAsync());
        var page = await Router.ListAsync(1, 10);
        Assert.Equal([other.Id], page.Items.Select(l => l.Id));
        Assert.Equal(1, page.Total);
        Assert.False(await Router.RemoveAsync(listener.Id));
        Assert.Null(await Router.UpdateAsync(listener.Id, Definition("order.created")));
        Assert.Null(await _cluster.Listener(listener.Id).GetAsync());
    }

    [Fact]
    public async Task List_PagesInCreationOrderWithTheTenantTotal()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Router.AddListenerAsync(Definition($"code.{i}"))).Id);
        }

        Assert.True(await Router.RemoveAsync(ids[1]));
        ids.RemoveAt(1);
        // An update keeps a listener's place in the order.
        Assert.NotNull(await Router.UpdateAsync(ids[0], Definition("code.changed")));

        var first = await Router.ListAsync(1, 2);
        var second = await Router.ListAsync(2, 2);
        var beyond = await Router.ListAsync(3, 2);

        Assert.Equal(ids[..2], first.Items.Select(l => l.Id));
        Assert.Equal(ids[2..], second.Items.Select(l => l.Id));
        Assert.Empty(beyond.Items);
        Assert.All([first, second, beyond], page => Assert.Equal(4, page.Total));
        Assert.Equal<string>(["code.changed"], first.Items[0].Subscriptions);
    }

    [Fact]
    public async Task UpdateAndRemove_OfAnUnknownListener_ReturnNothingAndChangeNothing()
    {
        var listener = await Router.AddListenerAsync(Definition("order.created"));
        var otherTenantsListener = await _cluster.Router(ResourceIds.NewTenantId()).AddListenerAsync(Definition("order.created"));

        foreach (var unknownId in new[] { ResourceIds.NewListenerId(), otherTenantsListener.Id })
        {
            Assert.Null(await Router.UpdateAsync(unknownId, Definition("order.paid")));
            Assert.False(await Router.RemoveAsync(unknownId));
        }

        var page = await Router.ListAsync(1, 10);
        Assert.Equal(1, page.Total);
        AssertSameView(listener, Assert.Single(page.Items));
        AssertSameIds([listener.Id], await Router.MatchAsync("order.created"));
        AssertSameIds([], await Router.MatchAsync("order.paid"));
        AssertSameView(otherTenantsListener, await _cluster.Listener(otherTenantsListener.Id).GetAsync());
    }
}
