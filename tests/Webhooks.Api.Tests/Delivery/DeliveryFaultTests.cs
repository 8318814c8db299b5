using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// Listeners that fail, redirect, hang, hang up, never stop talking or trickle, reached end to end through the API:
/// the delivery log says what happened, the dispatcher reads no more than it keeps, and a healthy listener of the
/// same tenant and event is served all the while.
/// </summary>
[Collection(ResourceHeavy.Name)]
public sealed class DeliveryFaultTests(FaultServer server) : ApiTest(server), IClassFixture<FaultServer>
{
    private const int AttemptsUntilFailed = 3; // right away, then the two steps of the test schedule
    private const int ExcerptBytes = 2048;
    private const string EventCode = "entitlement.created";

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(404)]
    public async Task Delivery_WhenTheListenerAnswersAnError_LogsEveryAttemptsStatus_AndFails(int status)
    {
        await using var scene = await Scene.StartAsync(Server, Fault.Answer(status));

        var failed = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "failed");

        Assert.All(failed.Attempts(), a => Assert.Equal(status, a.StatusCode()));
        Assert.All(failed.Attempts(), a => Assert.Equal($"status {status}", a.String("responseBody")));
        Assert.Equal(AttemptsUntilFailed, failed.Attempts().Length);
        Assert.Equal(AttemptsUntilFailed, scene.Faulty.Connections.Count);
        await scene.AssertHealthyServedAsync();
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Delivery_WhenTheListenerAsksToRetryAfterASecond_WaitsThatLong(int status)
    {
        await using var scene = await Scene.StartAsync(Server, Fault.Answer(status, retryAfter: "1"));

        var failed = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "failed");

        var connections = scene.Faulty.Connections;
        var gap = connections[1].ArrivedAt - connections[0].ArrivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"The second attempt came {gap.TotalMilliseconds} ms after the first; the schedule alone says 200 ms.");
        Assert.All(failed.Attempts(), a => Assert.Equal(status, a.StatusCode()));
        await scene.AssertHealthyServedAsync();
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Delivery_WhenTheListenerRedirects_DoesNotFollow_AndFails(int status)
    {
        await using var scene = await Scene.StartAsync(Server, Fault.RedirectWith(status));

        var failed = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "failed");

        Assert.Equal(AttemptsUntilFailed, failed.Attempts().Length);
        Assert.All(failed.Attempts(), a =>
        {
            Assert.Equal(status, a.StatusCode());
            Assert.Equal($"redirect to {scene.Faulty.RedirectTarget} not followed", a.String("error"));
        });
        Assert.Equal(0, scene.Faulty.RedirectsFollowed);
        await scene.AssertHealthyServedAsync();
    }

    [Fact]
    public async Task Delivery_WhenTheListenerHangs_TimesOutEachAttempt_WhileTheHealthyListenerIsServed()
    {
        await using var scene = await Scene.StartAsync(Server, new Fault(FaultKind.Hang));

        var first = (await scene.Faulty.WaitForRequestsAsync(1))[0];
        var healthy = await scene.AssertHealthyServedAsync();
        var failed = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "failed");

        Assert.All(failed.Attempts(), a =>
        {
            Assert.Null(a.StatusCode());
            Assert.Equal("timed out after 1 s", a.String("error"));
        });
        var end = await first.WaitForEndAsync();
        Assert.True(end.ClosedByDispatcher);
        Assert.True(end.At - first.ArrivedAt >= FaultServer.Timeout * 0.9, $"The hanging attempt ended after {(end.At - first.ArrivedAt).TotalMilliseconds} ms.");
        Assert.True(healthy.ReceivedAt < end.At, "The healthy listener waited for the hanging one.");
    }

    [Fact]
    public async Task Delivery_WhenTheListenerResetsTheConnectionBeforeAnswering_LogsAConnectionError_AndFails()
    {
        await using var scene = await Scene.StartAsync(Server, new Fault(FaultKind.ResetBeforeResponse));

        var failed = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "failed");

        Assert.Equal(AttemptsUntilFailed, failed.Attempts().Length);
        Assert.All(failed.Attempts(), a =>
        {
            Assert.Null(a.StatusCode());
            Assert.Equal("the connection was reset or closed before a complete response", a.String("error"));
        });
        await scene.AssertHealthyServedAsync();
    }

    [Fact]
    public async Task Delivery_WhenTheListenerResetsMidResponse_KeepsTheStatusAndWhatArrived()
    {
        await using var scene = await Scene.StartAsync(Server, new Fault(FaultKind.ResetMidBody));

        var delivered = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "succeeded");

        // The listener said 200 before it hung up: it took the event.
        var attempt = Assert.Single(delivered.Attempts());
        Assert.Equal(200, attempt.StatusCode());
        Assert.Equal(new string('r', 100), attempt.String("responseBody"));
        Assert.Equal("the connection failed while reading the response body", attempt.String("error"));
        await scene.AssertHealthyServedAsync();
    }

    [Fact]
    public async Task Delivery_WhenTheBodyNeverEnds_KeepsTheFirst2KiB_StopsReading_AndMemoryStaysBounded()
    {
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        await using var scene = await Scene.StartAsync(Server, new Fault(FaultKind.EndlessBody));

        var delivered = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "succeeded");
        var end = await (await scene.Faulty.WaitForRequestsAsync(1))[0].WaitForEndAsync();

        var attempt = Assert.Single(delivered.Attempts());
        Assert.Equal(new string('e', ExcerptBytes), attempt.String("responseBody"));
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("error").ValueKind);
        Assert.True(end.ClosedByDispatcher);
        // What socket buffers absorb before the dispatcher hangs up: megabytes at most, never the endless rest.
        Assert.True(end.BytesWritten < 32 * 1024 * 1024, $"The listener wrote {end.BytesWritten} bytes before the dispatcher hung up.");
        var growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(growth < 128 * 1024 * 1024, $"The managed heap grew by {growth} bytes.");
        await scene.AssertHealthyServedAsync();
    }

    [Fact]
    public async Task Delivery_WhenTheBodyIsManyMegabytes_KeepsTheFirst2KiB_AndHangsUpBeforeTheRest()
    {
        await using var scene = await Scene.StartAsync(Server, new Fault(FaultKind.LargeBody));

        var delivered = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "succeeded");
        var end = await (await scene.Faulty.WaitForRequestsAsync(1))[0].WaitForEndAsync();

        Assert.Equal(new string('l', ExcerptBytes), Assert.Single(delivered.Attempts()).String("responseBody"));
        Assert.True(end.ClosedByDispatcher);
        Assert.False(end.WroteEverything, $"The dispatcher let the listener write all {RawFaultReceiver.LargeBodyBytes} bytes.");
        Assert.True(end.BytesWritten < RawFaultReceiver.LargeBodyBytes);
        await scene.AssertHealthyServedAsync();
    }

    [Fact]
    public async Task Delivery_WhenTheBodyTricklesSlowerThanTheTimeout_KeepsTheStatusAndWhatArrived()
    {
        await using var scene = await Scene.StartAsync(Server, new Fault(FaultKind.SlowBody));

        var first = (await scene.Faulty.WaitForRequestsAsync(1))[0];
        var healthy = await scene.AssertHealthyServedAsync();
        var delivered = await scene.Tenant.Client.WaitForStatusAsync(scene.FaultyId, scene.EventId, "succeeded");
        var end = await first.WaitForEndAsync();

        var attempt = Assert.Single(delivered.Attempts());
        Assert.Equal(200, attempt.StatusCode());
        Assert.Equal("timed out after 1 s reading the response body", attempt.String("error"));
        var excerpt = attempt.String("responseBody");
        Assert.InRange(excerpt.Length, 1, RawFaultReceiver.SlowBodyBytes - 1);
        Assert.All(excerpt, c => Assert.Equal('s', c));
        Assert.True(end.ClosedByDispatcher);
        Assert.False(end.WroteEverything);
        Assert.True(healthy.ReceivedAt < end.At, "The healthy listener waited for the trickling one.");
    }

    /// <summary>
    /// A tenant with a faulty listener and a healthy one, both on the same event, and that event published once.
    /// </summary>
    private sealed class Scene : IAsyncDisposable
    {
        private RawFaultReceiver _faultyHost = null!;
        private TestReceiver _healthyHost = null!;

        public TestTenant Tenant { get; private set; } = null!;

        public FaultyEndpoint Faulty { get; private set; } = null!;

        public string FaultyId { get; private set; } = null!;

        public ScriptedEndpoint Healthy { get; private set; } = null!;

        public string HealthyId { get; private set; } = null!;

        public string EventId { get; private set; } = null!;

        public static async Task<Scene> StartAsync(ApiServer server, Fault fault)
        {
            var scene = new Scene { _faultyHost = RawFaultReceiver.Start(), _healthyHost = await TestReceiver.StartAsync() };
            scene.Faulty = scene._faultyHost.Endpoint(fault);
            scene.Healthy = scene._healthyHost.Endpoint(200);
            scene.Tenant = await server.CreateTenantAsync($"Faulty: {fault}");
            scene.FaultyId = (await scene.Tenant.Client.CreateListenerAsync(scene.Faulty.Uri.ToString(), EventCode)).String("id");
            scene.HealthyId = (await scene.Tenant.Client.CreateListenerAsync(scene.Healthy.Uri.ToString(), EventCode)).String("id");
            var (eventId, matched) = await scene.Tenant.Client.PublishAsync(EventCode);
            Assert.Equal(2, matched);
            scene.EventId = eventId;
            return scene;
        }

        /// <summary>The healthy listener got the event once, at the first attempt, and its log says so.</summary>
        public async Task<ReceivedRequest> AssertHealthyServedAsync()
        {
            var received = Assert.Single(await Healthy.WaitForAsync(EventId));
            var delivery = await Tenant.Client.WaitForStatusAsync(HealthyId, EventId, "succeeded");
            Assert.Equal(200, Assert.Single(delivery.Attempts()).StatusCode());
            return received;
        }

        public async ValueTask DisposeAsync()
        {
            await _faultyHost.DisposeAsync();
            await _healthyHost.DisposeAsync();
        }
    }
}
