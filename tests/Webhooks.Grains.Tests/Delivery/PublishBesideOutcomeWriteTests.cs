using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// A publish is answered once its delivery is on storage, not once the listener's earlier writes are: a listener
/// taking an event writes its row beside a write of outcomes still in flight (CoalescingWriter.WriteAlongsideAsync).
/// </summary>
public sealed class PublishBesideOutcomeWriteTests : GrainDeliveryTests
{
    [Fact]
    public async Task Publish_WhileTheListenersOutcomeWriteIsSlow_IsAnsweredWithoutWaitingForIt_AndBothEventsEndDelivered()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        var slow = new SlowOutcomes();
        await using var cluster = await StartClusterAsync(deployment, configureSilo: silo => silo.Services.Decorate<IDeliveryLog>(log => new SlowOutcomes.Log(log, slow)));
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Status(200));

        var first = await PublishAsync(cluster, tenantId);
        await slow.Held.WaitAsync(TimeSpan.FromSeconds(30)); // the first event's outcome is being written, slowly

        // The second event's row goes to storage beside that write, so its publish completes while the write is held.
        var second = await PublishAsync(cluster, tenantId).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(slow.Released);
        Assert.Equal(1, second.MatchedWebhooks);

        slow.Release();
        foreach (var eventId in new[] { first.EventId, second.EventId })
        {
            await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, d => d.Status == DeliveryStatus.Succeeded);
        }
    }

    /// <summary>
    /// Holds the completion of every save that records an outcome until <see cref="Release"/>: the save reaches the
    /// store at once (saves stay in call order), only its caller is told late, as with a slow commit.
    /// </summary>
    internal sealed class SlowOutcomes
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Held => _held.Task;

        public bool Released => _release.Task.IsCompleted;

        public void Release() => _release.TrySetResult();

        internal sealed class Log(IDeliveryLog inner, SlowOutcomes slow) : IDeliveryLog
        {
            public Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId) => inner.LoadAsync(listenerId);

            public Task SaveAsync(string listenerId, DeliveryLogChanges changes)
            {
                var saving = inner.SaveAsync(listenerId, changes);
                if (slow.Released || !changes.Upserts.Any(r => r.Status != DeliveryStatus.Pending))
                {
                    return saving;
                }

                slow._held.TrySetResult();
                return LateAsync(saving);
            }

            private async Task LateAsync(Task saving)
            {
                await slow._release.Task;
                await saving;
            }
        }
    }
}
