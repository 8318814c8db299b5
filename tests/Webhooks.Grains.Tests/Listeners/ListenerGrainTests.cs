using Webhooks.Abstractions;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Tests.Infrastructure;
using static Webhooks.Grains.Tests.Infrastructure.TestListeners;

namespace Webhooks.Grains.Tests.Listeners;

public sealed class ListenerGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly string[] Codes = ["order.created", "order.paid", "invoice.sent"];

    private readonly WebhooksCluster _cluster = fixture.Cluster;
    private readonly string _tenantId = ResourceIds.NewTenantId();

    [Fact]
    public async Task State_SurvivesDeactivationOfRouterAndListeners()
    {
        var router = _cluster.Router(_tenantId);
        var first = await router.AddListenerAsync(Definition("order.created", "order.paid"));
        var second = await router.AddListenerAsync(Definition("*"));
        var edited = await router.UpdateAsync(second.Id, Definition("invoice.sent"));
        Assert.NotNull(edited);
        var listed = await router.ListAsync(1, 10);

        await _cluster.DeactivateAsync(router);
        await _cluster.DeactivateAsync(_cluster.Listener(first.Id));
        await _cluster.DeactivateAsync(_cluster.Listener(second.Id));

        AssertSameView(first, await _cluster.Listener(first.Id).GetAsync());
        AssertSameView(edited, await _cluster.Listener(second.Id).GetAsync());
        var relisted = await router.ListAsync(1, 10);
        Assert.Equal(listed.Total, relisted.Total);
        Assert.Equal(2, relisted.Items.Length);
        AssertSameView(first, relisted.Items[0]);
        AssertSameView(edited, relisted.Items[1]);
        AssertSameIds([first.Id], await router.MatchAsync("order.created"));
        AssertSameIds([first.Id], await router.MatchAsync("order.paid"));
        AssertSameIds([second.Id], await router.MatchAsync("invoice.sent"));
        await RoutingAssert.IndexAgreesWithListenersAsync(_cluster, _tenantId, Codes);
    }

    [Fact]
    public async Task Apply_OfAnOperationAlreadyResolvedAsNotApplied_IsRefusedEvenAfterDeactivation()
    {
        var listener = await _cluster.Router(_tenantId).AddListenerAsync(Definition("order.created"));
        var grain = _cluster.Listener(listener.Id);
        var operationId = Guid.NewGuid();

        var resolution = await grain.ResolveAsync(operationId);
        Assert.False(resolution.Applied);
        AssertSameView(listener, resolution.Current);

        // The fence must be stored, not only remembered by this activation.
        await _cluster.DeactivateAsync(grain);
        var late = await grain.ApplyAsync(new ListenerChange(operationId, _tenantId, Definition("order.paid")));
        var lateDelete = await grain.ApplyAsync(new ListenerChange(operationId, _tenantId, Definition: null));

        Assert.False(late.Applied);
        Assert.False(lateDelete.Applied);
        AssertSameView(listener, await grain.GetAsync());
        await RoutingAssert.IndexAgreesWithListenersAsync(_cluster, _tenantId, Codes);
    }

    [Fact]
    public async Task Apply_OfANewListenerAfterItsOperationWasResolved_IsRefused()
    {
        var grain = _cluster.Listener(ResourceIds.NewListenerId());
        var operationId = Guid.NewGuid();

        Assert.False((await grain.ResolveAsync(operationId)).Applied);
        var late = await grain.ApplyAsync(new ListenerChange(operationId, _tenantId, Definition("order.created")));

        Assert.False(late.Applied);
        Assert.Null(late.Current);
        Assert.Null(await grain.GetAsync());
    }
}
