using System.Text.Json;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Listeners;
using Webhooks.Grains.Routing;
using Webhooks.Grains.Tests.Infrastructure;
using static Webhooks.Grains.Tests.Infrastructure.TestListeners;

namespace Webhooks.Grains.Tests.Routing;

/// <summary>
/// A listener is never left half-registered. Each test interrupts a change at one of the two writes that follow
/// the router's intent — the listener's, or the router's commit — by crashing the silo there (the storage freezes
/// at that write and the silo is killed) or by failing that write, then checks that the router's index and the
/// listeners agree, and that the change is either entirely visible on both sides or not at all.
/// </summary>
public sealed class RouterCrashRecoveryTests : IDisposable
{
    public enum Change { Add, Update, Remove }

    public enum Write { Listener, RouterCommit }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] Codes = ["order.created", "order.paid", "invoice.sent"];
    private static readonly string[] TargetCodes = ["order.created", "order.paid"];
    private static readonly string[] NewCodes = ["invoice.sent"];

    private readonly TestDeployment _deployment = new();
    private readonly string _tenantId = ResourceIds.NewTenantId();

    public void Dispose() => _deployment.Dispose();

    [Theory]
    [InlineData(Change.Add, Write.Listener)]
    [InlineData(Change.Add, Write.RouterCommit)]
    [InlineData(Change.Update, Write.Listener)]
    [InlineData(Change.Update, Write.RouterCommit)]
    [InlineData(Change.Remove, Write.Listener)]
    [InlineData(Change.Remove, Write.RouterCommit)]
    public async Task Change_InterruptedByACrash_IsAllOrNothingAfterRecovery(Change change, Write crashAt)
    {
        string targetId, changedId;
        await using (var cluster = await _deployment.StartClusterAsync())
        {
            targetId = await AddListenersAsync(cluster);

            cluster.Faults.CrashOn(Matches(crashAt));
            var interrupted = StartChange(cluster, change, targetId);
            await cluster.Faults.Crashed.WaitAsync(Patience);
            changedId = cluster.Faults.Writes.Last(w => w.StateName == "listener").GrainKey;
            Assert.False(interrupted.IsCompleted, "The change finished although its write never did.");

            await cluster.CrashAsync();
            Abandon(interrupted);
        }

        Assert.NotNull(StoredRouter().GetProperty("pending").GetProperty("operationId").GetString());

        await using var recovered = await _deployment.StartClusterAsync();

        // Only the listener's own write makes a change real: the router's commit merely records it.
        await AssertOutcomeAsync(recovered, change, targetId, changedId, applied: crashAt == Write.RouterCommit);
        Assert.False(StoredRouter().TryGetProperty("pending", out _), "The recovered router left its intent unresolved.");
    }

    [Fact]
    public async Task Apply_StillInFlightFromBeforeTheCrash_IsRefusedAfterRecovery()
    {
        string targetId;
        ListenerChange inFlight;
        await using (var cluster = await _deployment.StartClusterAsync())
        {
            targetId = await AddListenersAsync(cluster);

            cluster.Faults.CrashOn(Matches(Write.Listener));
            var interrupted = StartChange(cluster, Change.Update, targetId);
            var frozen = await cluster.Faults.Crashed.WaitAsync(Patience);
            var state = Assert.IsType<ListenerState>(frozen.State);
            inFlight = new ListenerChange(state.LastOperationId, _tenantId, new ListenerDefinition(state.Uri!, state.Subscriptions, state.Description));

            await cluster.CrashAsync();
            Abandon(interrupted);
        }

        await using var recovered = await _deployment.StartClusterAsync();
        await AssertOutcomeAsync(recovered, Change.Update, targetId, targetId, applied: false);
        var listener = recovered.Listener(targetId);

        var resolution = await listener.ResolveAsync(inFlight.OperationId);
        await recovered.DeactivateAsync(listener);
        var late = await listener.ApplyAsync(inFlight);

        Assert.False(resolution.Applied);
        Assert.False(late.Applied);
        Assert.NotNull(late.Current);
        Assert.Equal<string>(TargetCodes, late.Current.Subscriptions);
        await AssertOutcomeAsync(recovered, Change.Update, targetId, targetId, applied: false);
    }

    [Theory]
    [InlineData(Change.Add, Write.Listener, false)]
    [InlineData(Change.Add, Write.Listener, true)]
    [InlineData(Change.Add, Write.RouterCommit, false)]
    [InlineData(Change.Add, Write.RouterCommit, true)]
    [InlineData(Change.Update, Write.Listener, false)]
    [InlineData(Change.Update, Write.Listener, true)]
    [InlineData(Change.Update, Write.RouterCommit, false)]
    [InlineData(Change.Update, Write.RouterCommit, true)]
    [InlineData(Change.Remove, Write.Listener, false)]
    [InlineData(Change.Remove, Write.Listener, true)]
    [InlineData(Change.Remove, Write.RouterCommit, false)]
    [InlineData(Change.Remove, Write.RouterCommit, true)]
    public async Task Change_WhoseWriteFails_IsAllOrNothingBeforeAndAfterReactivation(Change change, Write failing, bool afterWriting)
    {
        await using var cluster = await _deployment.StartClusterAsync();
        var targetId = await AddListenersAsync(cluster);

        var armedAt = cluster.Faults.Writes.Count;
        cluster.Faults.FailOnce(Matches(failing), afterWriting);
        await Assert.ThrowsAnyAsync<Exception>(() => StartChange(cluster, change, targetId));
        var changedId = cluster.Faults.Writes.Skip(armedAt).First(w => w.StateName == "listener").GrainKey;

        // The change is real exactly when the listener's write reached the database, whatever the caller was told.
        var applied = failing == Write.RouterCommit || afterWriting;
        await AssertOutcomeAsync(cluster, change, targetId, changedId, applied);

        // What the activations hold must be what is stored.
        await cluster.DeactivateAsync(cluster.Router(_tenantId));
        foreach (var listener in (await cluster.Router(_tenantId).ListAsync(1, 100)).Items.Select(l => l.Id).Append(changedId))
        {
            await cluster.DeactivateAsync(cluster.Listener(listener));
        }

        await AssertOutcomeAsync(cluster, change, targetId, changedId, applied);
    }

    private static Func<StorageWrite, bool> Matches(Write write) => write switch
    {
        Write.Listener => w => w.StateName == "listener",
        // The intent write carries the pending change; the commit clears it.
        _ => w => w.State is RouterState { Pending: null },
    };

    // The one router row, as stored. Intents are written camelCase and omitted once cleared.
    private JsonElement StoredRouter()
    {
        var row = Assert.Single(_deployment.ReadStoredStates(), r => r.GrainType.Contains("router", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(row.Payload);
        return document.RootElement.Clone();
    }

    private async Task<string> AddListenersAsync(WebhooksCluster cluster)
    {
        var router = cluster.Router(_tenantId);
        await router.AddListenerAsync(Definition("order.created"));
        await router.AddListenerAsync(Definition("*"));
        var target = await router.AddListenerAsync(Definition(TargetCodes));
        await router.AddListenerAsync(Definition("invoice.sent"));
        return target.Id;
    }

    private Task StartChange(WebhooksCluster cluster, Change change, string targetId)
    {
        var router = cluster.Router(_tenantId);
        return change switch
        {
            Change.Add => router.AddListenerAsync(Definition(NewCodes)),
            Change.Update => router.UpdateAsync(targetId, Definition(NewCodes)),
            _ => router.RemoveAsync(targetId),
        };
    }

    private async Task AssertOutcomeAsync(WebhooksCluster cluster, Change change, string targetId, string changedId, bool applied)
    {
        // Asking the router first lets it finish recovering before the listeners are read.
        var listeners = await RoutingAssert.IndexAgreesWithListenersAsync(cluster, _tenantId, Codes);

        var expectedCount = 4 + (change, applied) switch
        {
            (Change.Add, true) => 1,
            (Change.Remove, true) => -1,
            _ => 0,
        };
        Assert.Equal(expectedCount, listeners.Count);

        switch (change, applied)
        {
            case (Change.Add, true):
                await RoutingAssert.ListenerIsRoutedAsync(cluster, _tenantId, changedId, NewCodes);
                break;
            case (Change.Add, false):
                await RoutingAssert.ListenerIsAbsentAsync(cluster, _tenantId, changedId, Codes);
                break;
            case (Change.Update, true):
                await RoutingAssert.ListenerIsRoutedAsync(cluster, _tenantId, targetId, NewCodes);
                Assert.DoesNotContain(targetId, await cluster.Router(_tenantId).MatchAsync("order.created"));
                break;
            case (Change.Remove, true):
                await RoutingAssert.ListenerIsAbsentAsync(cluster, _tenantId, targetId, Codes);
                break;
            default:
                await RoutingAssert.ListenerIsRoutedAsync(cluster, _tenantId, targetId, TargetCodes);
                Assert.DoesNotContain(targetId, await cluster.Router(_tenantId).MatchAsync("invoice.sent"));
                break;
        }

        if (change != Change.Add)
        {
            Assert.Equal(targetId, changedId);
        }
    }

    // The call was cut off by the crash; its failure is expected and not the subject of the test.
    private static void Abandon(Task interrupted) =>
        _ = interrupted.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
}
