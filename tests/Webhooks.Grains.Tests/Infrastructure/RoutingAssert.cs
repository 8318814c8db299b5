using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>Checks that a tenant's router and its listeners agree.</summary>
internal static class RoutingAssert
{
    private const string AllEvents = "*";

    /// <summary>
    /// Every listener the router indexes exists, belongs to the tenant, and is matched by exactly the codes it
    /// subscribes to: for each of <paramref name="eventCodes"/> (and a code nobody subscribes to),
    /// <c>MatchAsync</c> returns exactly the listed listeners that want it. Returns the listeners.
    /// </summary>
    public static async Task<IReadOnlyList<ListenerView>> IndexAgreesWithListenersAsync(
        WebhooksCluster cluster, string tenantId, IEnumerable<string> eventCodes)
    {
        var router = cluster.Router(tenantId);
        var page = await router.ListAsync(1, 1000);

        // ListAsync drops ids whose listener does not exist but still counts them: a gap means a half-registered listener.
        Assert.Equal(page.Total, page.Items.Length);
        foreach (var item in page.Items)
        {
            Assert.Equal(tenantId, item.TenantId);
            TestListeners.AssertSameView(item, await cluster.Listener(item.Id).GetAsync());
        }

        foreach (var code in eventCodes.Append("nobody.subscribes.to.this").Distinct())
        {
            var wanted = page.Items
                .Where(l => l.Subscriptions.Contains(code) || l.Subscriptions.Contains(AllEvents))
                .Select(l => l.Id);
            TestListeners.AssertSameIds(wanted, await router.MatchAsync(code));
        }

        return page.Items;
    }

    /// <summary>The listener exists on both sides with <paramref name="subscriptions"/>: its grain, the router's list and the router's matches.</summary>
    public static async Task ListenerIsRoutedAsync(WebhooksCluster cluster, string tenantId, string listenerId, string[] subscriptions)
    {
        var view = await cluster.Listener(listenerId).GetAsync();
        Assert.NotNull(view);
        Assert.Equal<string>(subscriptions, view.Subscriptions);

        var router = cluster.Router(tenantId);
        Assert.Contains((await router.ListAsync(1, 1000)).Items, l => l.Id == listenerId);
        foreach (var code in subscriptions)
        {
            Assert.Contains(listenerId, await router.MatchAsync(code));
        }
    }

    /// <summary>The listener exists on neither side.</summary>
    public static async Task ListenerIsAbsentAsync(WebhooksCluster cluster, string tenantId, string listenerId, IEnumerable<string> eventCodes)
    {
        Assert.Null(await cluster.Listener(listenerId).GetAsync());

        var router = cluster.Router(tenantId);
        var page = await router.ListAsync(1, 1000);
        Assert.DoesNotContain(page.Items, l => l.Id == listenerId);
        Assert.Equal(page.Items.Length, page.Total);
        foreach (var code in eventCodes)
        {
            Assert.DoesNotContain(listenerId, await router.MatchAsync(code));
        }
    }
}
