using Webhooks.Abstractions;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Tests.Infrastructure;
using static Webhooks.Grains.Tests.Infrastructure.TestListeners;

namespace Webhooks.Grains.Tests.Listeners;

public sealed class ListenerRestartTests
{
    [Fact]
    public async Task State_SurvivesARestartOfTheSilo()
    {
        using var deployment = new TestDeployment();
        var tenantId = ResourceIds.NewTenantId();
        ListenerView kept, edited;
        string removedId;
        await using (var cluster = await deployment.StartClusterAsync())
        {
            var router = cluster.Router(tenantId);
            kept = await router.AddListenerAsync(Definition("order.created"));
            edited = (await router.UpdateAsync((await router.AddListenerAsync(Definition("*"))).Id, Definition("order.paid")))!;
            removedId = (await router.AddListenerAsync(Definition("order.created"))).Id;
            Assert.True(await router.RemoveAsync(removedId));
        }

        await using var restarted = await deployment.StartClusterAsync();

        var page = await restarted.Router(tenantId).ListAsync(1, 10);
        Assert.Equal(2, page.Total);
        AssertSameView(kept, page.Items[0]);
        AssertSameView(edited, page.Items[1]);
        AssertSameIds([kept.Id], await restarted.Router(tenantId).MatchAsync("order.created"));
        AssertSameIds([edited.Id], await restarted.Router(tenantId).MatchAsync("order.paid"));
        Assert.Null(await restarted.Listener(removedId).GetAsync());
        await RoutingAssert.IndexAgreesWithListenersAsync(restarted, tenantId, ["order.created", "order.paid"]);
    }
}
