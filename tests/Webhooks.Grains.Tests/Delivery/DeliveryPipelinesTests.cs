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

    // A 429 says the listener is up and taking less than it is sent: the adaptive limit answers it
    // (ConcurrencyLimit). Counted by the breaker, the first burst over a listener's capacity held its queue for the
    // whole break; a 503, like any other failure, still opens the circuit.
    [Theory]
    [InlineData(429, false)]
    [InlineData(503, true)]
    [InlineData(500, true)]
    public async Task OnlyFailures_ThatMaySayTheListenerIsDown_OpenItsCircuit(int status, bool opens)
    {
        var pipelines = new DeliveryPipelines(Options.Create(new DeliveryOptions { CircuitBreakerFailures = 5 }), new FakeTimeProvider());
        var pipeline = pipelines.For("wh_pushing_back");
        for (var i = 0; i < 20 && !pipelines.IsOpen("wh_pushing_back"); i++)
        {
            await pipeline.ExecuteAsync(_ => ValueTask.FromResult(new AttemptOutcome(false, status, TimeSpan.FromMilliseconds(5), null, null, null)));
        }

        Assert.Equal(opens, pipelines.IsOpen("wh_pushing_back"));
    }
}
