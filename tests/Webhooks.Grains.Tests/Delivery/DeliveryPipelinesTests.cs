using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Http;

namespace Webhooks.Grains.Tests.Delivery;

public sealed class DeliveryPipelinesTests
{
    [Fact]
    public void Sweep_DropsPipelinesOfIdleListeners_KeepsRecentOnes()
    {
        var time = new FakeTimeProvider();
        var pipelines = new DeliveryPipelines(Options.Create(new DeliveryOptions { CircuitBreakerDuration = TimeSpan.FromSeconds(30) }), time);
        var idle = pipelines.For("wh_idle");
        pipelines.For("wh_busy");

        time.Advance(TimeSpan.FromMinutes(1));
        var busy = pipelines.For("wh_busy");
        time.Advance(TimeSpan.FromSeconds(45));
        pipelines.Sweep(time.GetTimestamp());

        Assert.Equal(1, pipelines.Count);
        Assert.Same(busy, pipelines.For("wh_busy"));
        Assert.NotSame(idle, pipelines.For("wh_idle"));
    }
}
