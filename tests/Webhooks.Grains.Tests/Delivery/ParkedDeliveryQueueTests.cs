using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// The queue's side of a disabled listener: events are parked (kept, not attempted), survive the count cap, and
/// are released in order of acceptance, as pending or skipped, when the listener is enabled.
/// </summary>
public sealed class ParkedDeliveryQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private static readonly RetryPolicy FailNow = new([], 0, () => 0.5);
    private static readonly AttemptOutcome Success = new(true, 200, TimeSpan.FromMilliseconds(3), null, "ok", null);
    private static readonly AttemptOutcome Failure = new(false, 500, TimeSpan.FromMilliseconds(3), null, "oops", null);

    private static EventEnvelope Event(string id) => new("t_x", id, "entitlement.created", "ent_1", T0, "{}");

    private static DeliveryQueue DisabledByHand()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Disable();
        return queue;
    }

    [Fact]
    public void Enqueue_WhileDisabled_ParksTheEvent_WhichIsNeitherDueNorPending()
    {
        var queue = DisabledByHand();

        Assert.True(queue.Enqueue(Event("event_1"), isTest: false, T0));
        Assert.False(queue.Enqueue(Event("event_1"), isTest: false, T0)); // a repeated publish parks nothing twice

        var parked = queue.Find("event_1")!;
        Assert.Equal(DeliveryStatus.Parked, parked.Status);
        Assert.Null(parked.NextAttemptAt);
        Assert.Equal(0, queue.PendingCount);
        Assert.Equal(1, queue.ParkedCount);
        Assert.False(queue.AnyDue(T0.AddDays(1)));
        Assert.Equal(["event_1"], queue.Page(DeliveryStatus.Parked, 1, 10).Items.Select(d => d.EventId));
        Assert.Equal(DeliveryStatus.Parked, Assert.Single(queue.TakeChanges().Upserts).Status);
    }

    [Fact]
    public void Disable_ByHand_ShowsItsReason_AndIsAHealthChange()
    {
        var state = new DeliveryState();
        var queue = new DeliveryQueue(state);

        queue.Disable();

        Assert.True(state.Disabled);
        Assert.Equal("DisabledByUser", state.DisabledReason);
        Assert.True(queue.TakeHealthChange());
        queue.Disable();
        Assert.False(queue.TakeHealthChange());
    }

    [Fact]
    public void Disable_AListenerDisabledAutomatically_KeepsTheAutomaticReason()
    {
        var state = new DeliveryState { Disabled = true, DisabledReason = "Disabled automatically: every delivery attempt failed." };
        var queue = new DeliveryQueue(state);

        queue.Disable();

        Assert.Equal("Disabled automatically: every delivery attempt failed.", state.DisabledReason);
        Assert.False(queue.TakeHealthChange());
    }

    [Fact]
    public void ReleaseParked_Replaying_MakesThemDueAtOnce_InOrderOfAcceptance_AheadOfLaterEvents()
    {
        var queue = DisabledByHand();
        for (var i = 1; i <= 5; i++)
        {
            queue.Enqueue(Event($"event_{i}"), false, T0.AddMinutes(i));
        }

        queue.TakeChanges();
        var now = T0.AddDays(2);
        Assert.Equal(3, queue.ReleaseParked(replay: true, max: 3, now));
        Assert.Equal(["event_1", "event_2", "event_3"], queue.TakeChanges().Upserts.Select(r => DeliveryQueue.FromRow(r).EventId));
        Assert.Equal(2, queue.ReleaseParked(replay: true, max: 3, now));
        Assert.Equal(0, queue.ReleaseParked(replay: true, max: 3, now));
        queue.Enable();
        queue.Enqueue(Event("event_later"), false, now);

        Assert.Equal(0, queue.ParkedCount);
        Assert.Equal(6, queue.PendingCount);
        Assert.Equal(["event_1", "event_2", "event_3", "event_4", "event_5", "event_later"], queue.Due(now).Select(d => d.EventId));
    }

    [Fact]
    public void ReleaseParked_Skipping_FinishesThemUnattempted_AndRedeliveryCanStillSendOne()
    {
        var queue = DisabledByHand();
        queue.Enqueue(Event("event_1"), false, T0);
        queue.Enqueue(Event("event_2"), false, T0);

        Assert.False(queue.Redeliver("event_1", T0)); // parked: its turn comes when the listener is enabled
        Assert.Equal(2, queue.ReleaseParked(replay: false, max: 10, T0));
        queue.Enable();

        Assert.All(queue.Deliveries, d => Assert.Equal(DeliveryStatus.Skipped, d.Status));
        Assert.All(queue.Deliveries, d => Assert.Empty(d.Attempts));
        Assert.Equal(0, queue.PendingCount);
        Assert.Equal(2, queue.Page(DeliveryStatus.Skipped, 1, 10).Total);
        Assert.True(queue.Redeliver("event_2", T0));
        Assert.Equal(["event_2"], queue.Due(T0).Select(d => d.EventId));
    }

    [Fact]
    public void Trim_WhileSuccessesKeepComing_NeverDropsAParkedDelivery()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_pending"), false, T0); // pending when the listener was disabled
        queue.Disable();
        queue.Enqueue(Event("event_parked"), false, T0);
        queue.Record(queue.Find("event_pending")!, 1, T0, Success, T0, FailNow, TimeSpan.FromDays(5)); // an attempt already out
        queue.Enable();
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(Event($"event_{i}"), false, T0);
            queue.Record(queue.Find($"event_{i}")!, 1, T0, Success, T0, FailNow, TimeSpan.FromDays(5));
            queue.Trim(3);
        }

        Assert.Equal(DeliveryStatus.Parked, queue.Find("event_parked")!.Status);
        Assert.Null(queue.Find("event_pending"));
        Assert.Equal(4, queue.Deliveries.Count);
    }

    [Fact]
    public void Expire_RemovesParkedOnesAcceptedBeforeTheFailedCutoff_AndTheirRowsWithTheNextRemovalBatch()
    {
        var queue = DisabledByHand();
        for (var i = 0; i < DeliveryQueue.RemovalBatch + 1; i++)
        {
            queue.Enqueue(Event($"event_{i}"), false, T0.AddSeconds(i));
        }

        queue.TakeChanges();

        // The succeeded cutoff is later still: parked ones follow the failed one.
        Assert.Equal(DeliveryQueue.RemovalBatch, queue.Expire(T0.AddDays(1), T0.AddSeconds(DeliveryQueue.RemovalBatch)));

        Assert.Equal([$"event_{DeliveryQueue.RemovalBatch}"], queue.Deliveries.Select(d => d.EventId));
        Assert.Equal(1, queue.ParkedCount);
        Assert.False(queue.Enqueue(Event($"event_{DeliveryQueue.RemovalBatch}"), false, T0));
        Assert.Equal(DeliveryQueue.RemovalBatch, queue.TakeChanges().Removals.Count);
    }

    [Fact]
    public void Record_410Gone_DisablesTheListener_AndParksEveryPendingDelivery_ItsOwnIncluded()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        var retries = new RetryPolicy([TimeSpan.FromMinutes(5)], 0, () => 0.5);
        queue.Enqueue(Event("event_1"), false, T0);
        queue.Enqueue(Event("event_2"), false, T0);
        queue.Enqueue(Event("event_3"), false, T0);
        queue.Record(queue.Find("event_3")!, 1, T0, Success, T0, retries, TimeSpan.FromDays(5));
        queue.TakeChanges();

        var gone = new AttemptOutcome(false, 410, TimeSpan.FromMilliseconds(4), null, "gone", null);
        queue.Record(queue.Find("event_1")!, 1, T0, gone, T0.AddSeconds(1), retries, TimeSpan.FromDays(5));

        Assert.True(queue.State.Disabled);
        Assert.Equal(DeliveryQueue.Gone, queue.State.DisabledReason);
        Assert.True(queue.TakeHealthChange());
        Assert.Equal([DeliveryStatus.Parked, DeliveryStatus.Parked, DeliveryStatus.Succeeded], queue.Deliveries.Select(d => d.Status));
        Assert.Equal(410, Assert.Single(queue.Find("event_1")!.Attempts).StatusCode);
        Assert.Equal(0, queue.PendingCount);
        Assert.Equal(2, queue.ParkedCount);
        Assert.Equal([1L, 2L], queue.TakeChanges().Upserts.Select(r => r.Seq));

        // Enabled again, both are delivered, the answered one's retry series starting afresh.
        Assert.Equal(2, queue.ReleaseParked(replay: true, max: 10, T0.AddHours(1)));
        queue.Enable();
        Assert.Equal(["event_1", "event_2"], queue.Due(T0.AddHours(1)).Select(d => d.EventId));
        Assert.All(queue.Due(T0.AddHours(1)), d => Assert.Equal(0, d.SeriesFailures));
    }

    [Fact]
    public void Record_410Gone_ForTheTestEvent_OnlyFailsIt()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_test"), isTest: true, T0);
        var gone = new AttemptOutcome(false, 410, TimeSpan.FromMilliseconds(4), null, "gone", null);

        queue.Record(queue.Find("event_test")!, 1, T0, gone, T0, FailNow, TimeSpan.FromDays(5));

        Assert.False(queue.State.Disabled);
        Assert.Equal(DeliveryStatus.Failed, queue.Find("event_test")!.Status);
    }

    [Fact]
    public void StoredParkedRows_LoadBackParked()
    {
        var queue = DisabledByHand();
        queue.Enqueue(Event("event_1"), false, T0);
        var rows = queue.TakeChanges().Upserts;

        var loaded = new DeliveryQueue(new DeliveryState { Disabled = true }, rows.Select(DeliveryQueue.FromRow));

        Assert.Equal(1, loaded.ParkedCount);
        Assert.Equal(0, loaded.PendingCount);
        Assert.Equal(1, loaded.ReleaseParked(replay: true, max: 10, T0));
        Assert.Equal(1, loaded.PendingCount);
    }

    [Fact]
    public void Recover_WithAnEnd_ReQueuesOnlyFailuresCreatedBeforeIt()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        for (var hour = 0; hour < 4; hour++)
        {
            queue.Enqueue(Event($"event_{hour}"), false, T0.AddHours(hour));
            queue.Record(queue.Find($"event_{hour}")!, 1, T0, Failure, T0, FailNow, TimeSpan.FromDays(5));
        }

        // [since, until): the end is exclusive, so back-to-back windows never recover a delivery twice.
        Assert.Equal(2, queue.Recover(T0.AddHours(1), T0.AddHours(3), T0.AddHours(5)));
        Assert.Equal(
            [DeliveryStatus.Failed, DeliveryStatus.Pending, DeliveryStatus.Pending, DeliveryStatus.Failed],
            queue.Deliveries.Select(d => d.Status));
    }

    [Fact]
    public void DueTests_WhileDisabled_AreTheTestEventsOnly_UntilTheirAttemptIsRecorded()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_pending"), isTest: false, T0); // pending when the listener is disabled: it waits
        queue.Disable();
        queue.Enqueue(Event("event_parked"), isTest: false, T0);
        Assert.True(queue.Enqueue(Event("event_test"), isTest: true, T0));

        var test = Assert.Single(queue.DueTests(T0));
        Assert.Equal("event_test", test.EventId);
        Assert.Equal(DeliveryStatus.Pending, test.Status);
        Assert.Equal(2, queue.PendingCount);
        Assert.Equal(1, queue.ParkedCount);

        queue.Record(test, 1, T0, Failure, T0, FailNow, TimeSpan.FromDays(5));

        Assert.Empty(queue.DueTests(T0));
        Assert.Equal(DeliveryStatus.Failed, test.Status); // never retried
        Assert.True(queue.State.Disabled);
        Assert.Null(queue.State.FailingSince); // a test says nothing about the listener's health
        Assert.Equal(DeliveryStatus.Pending, queue.Find("event_pending")!.Status);
        Assert.Equal(DeliveryStatus.Parked, queue.Find("event_parked")!.Status);

        Assert.True(queue.Enqueue(Event("event_test_2"), isTest: true, T0));
        queue.Clear();
        Assert.Empty(queue.DueTests(T0));
    }
}
