using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Delivery;

public sealed class DeliveryQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan[] Schedule = [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5)];

    // random() = 0.5 means no jitter, so the schedule is exact.
    private static readonly RetryPolicy Exact = new(Schedule, 0.2, () => 0.5);
    private static readonly TimeSpan DisableAfter = TimeSpan.FromDays(5);

    private static AttemptOutcome Failure(int? status = 500, TimeSpan? retryAfter = null) => new(false, status, TimeSpan.FromMilliseconds(7), status is null ? "connection refused" : null, "oops", retryAfter);

    private static readonly AttemptOutcome Success = new(true, 200, TimeSpan.FromMilliseconds(3), null, "ok", null);

    private static EventEnvelope Event(string id = "event_a") => new("t_x", id, "entitlement.created", "ent_1", T0, "{}");

    [Fact]
    public void Enqueue_SameEventIdTwice_QueuesItOnce()
    {
        var queue = new DeliveryQueue(new DeliveryState());

        Assert.True(queue.Enqueue(Event(), isTest: false, T0));
        Assert.False(queue.Enqueue(Event(), isTest: false, T0.AddSeconds(1)));

        Assert.Single(queue.Due(T0));
        Assert.Equal(1, queue.PendingCount);
    }

    [Fact]
    public void Failures_FollowTheSchedule_ThenTheDeliveryFails()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event(), false, T0);
        var delivery = queue.Due(T0).Single();

        queue.Record(delivery, 1, T0, Failure(), T0, Exact, DisableAfter);
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(T0.AddSeconds(5), delivery.NextAttemptAt);
        Assert.Empty(queue.Due(T0.AddSeconds(4)));

        queue.Record(delivery, 2, T0.AddSeconds(5), Failure(null), T0.AddSeconds(5), Exact, DisableAfter);
        Assert.Equal(T0.AddSeconds(5).AddMinutes(5), delivery.NextAttemptAt);

        queue.Record(delivery, 3, T0.AddMinutes(6), Failure(), T0.AddMinutes(6), Exact, DisableAfter);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Equal([1, 2, 3], delivery.Attempts.Select(a => a.Attempt));
        Assert.Equal("connection refused", delivery.Attempts[1].Error);
    }

    [Fact]
    public void RetryAfter_DelaysTheNextAttempt_ButNoLongerThanTheLongestStep()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_1"), false, T0);
        queue.Enqueue(Event("event_2"), false, T0);
        var (first, second) = (queue.Find("event_1")!, queue.Find("event_2")!);

        queue.Record(first, 1, T0, Failure(429, TimeSpan.FromSeconds(90)), T0, Exact, DisableAfter);
        queue.Record(second, 1, T0, Failure(503, TimeSpan.FromDays(2)), T0, Exact, DisableAfter);

        Assert.Equal(T0.AddSeconds(90), first.NextAttemptAt);
        Assert.Equal(T0.AddMinutes(5), second.NextAttemptAt);
    }

    [Fact]
    public void Jitter_StaysWithinTheRatio()
    {
        var low = new RetryPolicy(Schedule, 0.2, () => 0.0).NextDelay(1, null);
        var high = new RetryPolicy(Schedule, 0.2, () => 0.999999).NextDelay(1, null);

        Assert.Equal(TimeSpan.FromSeconds(4), low);
        Assert.InRange(high!.Value, TimeSpan.FromSeconds(5.99), TimeSpan.FromSeconds(6));
        Assert.Null(Exact.NextDelay(3, null));
    }

    [Fact]
    public void TestEvent_FailsAfterOneAttempt_AndDoesNotCountAgainstHealth()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_test"), isTest: true, T0);
        var test = queue.Find("event_test")!;

        queue.Record(test, 1, T0, Failure(), T0.AddDays(10), Exact, DisableAfter);

        Assert.Equal(DeliveryStatus.Failed, test.Status);
        Assert.Null(queue.State.FailingSince);
        Assert.False(queue.State.Disabled);
    }

    [Fact]
    public void Health_ContinuousFailureForDisableAfter_DisablesWithAReason_AndSuccessResetsIt()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_1"), false, T0);
        queue.Enqueue(Event("event_2"), false, T0);
        var (first, second) = (queue.Find("event_1")!, queue.Find("event_2")!);

        queue.Record(first, 1, T0, Failure(), T0, Exact, DisableAfter);
        queue.Record(second, 1, T0.AddDays(4), Failure(), T0.AddDays(4), Exact, DisableAfter);
        Assert.False(queue.State.Disabled);
        Assert.Equal(T0, queue.State.FailingSince);

        queue.Record(second, 2, T0.AddDays(5), Failure(), T0.AddDays(5), Exact, DisableAfter);
        Assert.True(queue.State.Disabled);
        Assert.Contains("every delivery attempt failed", queue.State.DisabledReason, StringComparison.Ordinal);

        queue.Enable();
        Assert.False(queue.State.Disabled);
        Assert.Null(queue.State.DisabledReason);

        queue.Record(first, 2, T0.AddDays(6), Success, T0.AddDays(6), Exact, DisableAfter);
        Assert.Null(queue.State.FailingSince);
        Assert.Equal(DeliveryStatus.Succeeded, first.Status);
    }

    [Fact]
    public void Redeliver_And_Recover_StartFreshSeries()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        foreach (var id in new[] { "event_old", "event_new", "event_ok" })
        {
            queue.Enqueue(Event(id), false, id == "event_old" ? T0 : T0.AddHours(1));
        }

        var failNow = new RetryPolicy([], 0, () => 0.5);
        queue.Record(queue.Find("event_old")!, 1, T0, Failure(), T0, failNow, DisableAfter);
        queue.Record(queue.Find("event_new")!, 1, T0, Failure(), T0, failNow, DisableAfter);
        queue.Record(queue.Find("event_ok")!, 1, T0, Success, T0, failNow, DisableAfter);

        Assert.Equal(1, queue.Recover(T0.AddMinutes(30), until: null, T0.AddHours(2)));
        Assert.Equal(DeliveryStatus.Pending, queue.Find("event_new")!.Status);
        Assert.Equal(0, queue.Find("event_new")!.SeriesFailures);
        Assert.Equal(DeliveryStatus.Failed, queue.Find("event_old")!.Status);

        Assert.True(queue.Redeliver("event_ok", T0.AddHours(2)));
        Assert.False(queue.Redeliver("event_ok", T0.AddHours(2)));
        Assert.False(queue.Redeliver("event_missing", T0.AddHours(2)));
        Assert.Equal(2, queue.Due(T0.AddHours(2)).Count());
    }

    [Fact]
    public void Trim_DropsOldestFinished_KeepsEveryPending()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        for (var i = 0; i < 6; i++)
        {
            queue.Enqueue(Event($"event_{i}"), false, T0.AddSeconds(i));
            if (i % 2 == 0)
            {
                queue.Record(queue.Find($"event_{i}")!, 1, T0, Success, T0, Exact, DisableAfter);
            }
        }

        queue.Trim(1);

        Assert.Equal(["event_1", "event_3", "event_4", "event_5"], queue.Deliveries.Select(d => d.EventId));
        Assert.Null(queue.Find("event_0"));
        var page = queue.Page(null, 1, 2);
        Assert.Equal(4, page.Total);
        Assert.Equal(["event_5", "event_4"], page.Items.Select(d => d.EventId));
        Assert.Equal(["event_4"], queue.Page(DeliveryStatus.Succeeded, 1, 10).Items.Select(d => d.EventId));
    }

    [Fact]
    public void Trim_WhileSuccessesKeepComing_NeverDropsAFailure()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_failed"), false, T0);
        queue.Record(queue.Find("event_failed")!, 1, T0, Failure(), T0, new RetryPolicy([], 0, () => 0.5), DisableAfter);
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(Event($"event_{i}"), false, T0.AddSeconds(i));
            queue.Record(queue.Find($"event_{i}")!, 1, T0, Success, T0, Exact, DisableAfter);
            queue.Trim(2);
        }

        Assert.Equal(["event_failed", "event_8", "event_9"], queue.Deliveries.Select(d => d.EventId));
        Assert.Equal(DeliveryStatus.Failed, queue.Find("event_failed")!.Status);
    }

    [Fact]
    public void Trim_CapsFailuresApartFromSuccesses_OldestFirst()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        var failNow = new RetryPolicy([], 0, () => 0.5);
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue(Event($"event_failed_{i}"), false, T0.AddSeconds(i));
            queue.Record(queue.Find($"event_failed_{i}")!, 1, T0, Failure(), T0, failNow, DisableAfter);
            queue.Enqueue(Event($"event_ok_{i}"), false, T0.AddSeconds(i));
            queue.Record(queue.Find($"event_ok_{i}")!, 1, T0, Success, T0, Exact, DisableAfter);
        }

        queue.Trim(retention: 4, failedRetention: 2);

        Assert.Equal(["event_ok_1", "event_ok_2", "event_failed_3", "event_ok_3", "event_failed_4", "event_ok_4"], queue.Deliveries.Select(d => d.EventId));
    }

    [Fact]
    public void Expire_DropsSucceededAndFailedOnesByTheirOwnAges_AndNeverAPendingOne()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        var failNow = new RetryPolicy([], 0, () => 0.5);
        for (var day = 0; day < 10; day++)
        {
            var at = T0.AddDays(day);
            queue.Enqueue(Event($"event_ok_{day}"), false, at);
            queue.Record(queue.Find($"event_ok_{day}")!, 1, at, Success, at, Exact, DisableAfter);
            queue.Enqueue(Event($"event_failed_{day}"), false, at);
            queue.Record(queue.Find($"event_failed_{day}")!, 1, at, Failure(), at, failNow, TimeSpan.FromDays(100));
            queue.Enqueue(Event($"event_pending_{day}"), false, at);
        }

        queue.TakeChanges();
        var now = T0.AddDays(10);

        // Successes older than 3 days go, failures older than 6 days; pending ones stay whatever their age.
        Assert.Equal(7 + 4, queue.Expire(now - TimeSpan.FromDays(3), now - TimeSpan.FromDays(6)));

        Assert.Equal(["event_ok_7", "event_ok_8", "event_ok_9"], queue.Page(DeliveryStatus.Succeeded, 1, 100).Items.Select(d => d.EventId).Reverse());
        Assert.Equal(["event_failed_4", "event_failed_5", "event_failed_6", "event_failed_7", "event_failed_8", "event_failed_9"],
            queue.Page(DeliveryStatus.Failed, 1, 100).Items.Select(d => d.EventId).Reverse());
        Assert.Equal(10, queue.PendingCount);
        Assert.Equal(0, queue.Expire(now - TimeSpan.FromDays(3), now - TimeSpan.FromDays(6)));
    }

    [Fact]
    public void Enqueue_AnIdWhoseEarlierEventWasRemoved_QueuesTheNewEvent_ButNotTheSameEventTwice()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event() with { Seq = 10 }, false, T0);
        queue.Record(queue.Find("event_a")!, 1, T0, Success, T0, Exact, DisableAfter);
        queue.TakeChanges();

        // The same stored event again (a publish repeated midway) is not queued twice.
        Assert.False(queue.Enqueue(Event() with { Seq = 10 }, false, T0.AddDays(40)));

        // Published again after its retention, the id is a new event (another row of the events store).
        Assert.True(queue.Enqueue(Event() with { Seq = 99 }, false, T0.AddDays(40)));
        var again = queue.Find("event_a")!;
        Assert.Equal((DeliveryStatus.Pending, 99L), (again.Status, again.EventSeq!.Value));
        Assert.Single(queue.Deliveries);

        // While the new one is pending, the old id's twin is refused.
        Assert.False(queue.Enqueue(Event() with { Seq = 120 }, false, T0.AddDays(41)));
    }

    [Fact]
    public void TakeChanges_CarriesOnlyWhatChanged_HoweverLongTheBacklog()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        for (var i = 0; i < 10_000; i++)
        {
            queue.Enqueue(Event($"event_{i}"), false, T0);
        }

        Assert.Equal(10_000, queue.TakeChanges().Upserts.Count);

        queue.Enqueue(Event("event_new"), false, T0);
        var one = queue.TakeChanges();
        Assert.Equal([10_001L], one.Upserts.Select(r => r.Seq));
        Assert.Empty(one.Removals);
        Assert.True(queue.TakeChanges().IsEmpty);

        queue.Record(queue.Find("event_5")!, 1, T0, Success, T0, Exact, DisableAfter);
        var outcome = Assert.Single(queue.TakeChanges().Upserts);
        Assert.Equal((6L, DeliveryStatus.Succeeded), (outcome.Seq, outcome.Status));
        Assert.Equal("event_5", DeliveryQueue.FromRow(outcome).EventId);
    }

    [Fact]
    public void TakeChanges_AfterTrim_RemovesTheRowsOneBatchAtATime()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        var count = DeliveryQueue.RemovalBatch + 2;
        for (var i = 1; i <= count; i++)
        {
            queue.Enqueue(Event($"event_{i}"), false, T0);
            queue.Record(queue.Find($"event_{i}")!, 1, T0, Success, T0, Exact, DisableAfter);
        }

        queue.TakeChanges();

        // Fewer than a batch: gone from the log at once, still stored until the batch fills.
        queue.Trim(count - 3);
        Assert.Equal(count - 3, queue.Deliveries.Count);
        Assert.Null(queue.Find("event_1"));
        Assert.True(queue.TakeChanges().IsEmpty);

        queue.Trim(2);
        var trimmed = queue.TakeChanges();
        Assert.Equal(Enumerable.Range(1, DeliveryQueue.RemovalBatch).Select(i => (long)i), trimmed.Removals);
        Assert.Empty(trimmed.Upserts);
        Assert.True(queue.TakeChanges().IsEmpty);
    }

    [Fact]
    public void TakeChanges_AfterClear_RemovesEveryRow_TrimmedOnesIncluded()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_1"), false, T0);
        queue.Enqueue(Event("event_2"), false, T0);
        queue.Record(queue.Find("event_1")!, 1, T0, Success, T0, Exact, DisableAfter);
        queue.TakeChanges();
        queue.Trim(0);

        queue.Clear();
        var cleared = queue.TakeChanges();
        Assert.True(cleared.RemoveAll);
        Assert.Empty(cleared.Upserts);
        Assert.Equal(0, queue.PendingCount);
        Assert.True(queue.TakeChanges().IsEmpty);
    }

    [Fact]
    public void StoredRows_BeyondTheRetention_AreTrimmedWhenLoaded()
    {
        var stored = new DeliveryQueue(new DeliveryState());
        for (var i = 1; i <= 5; i++)
        {
            stored.Enqueue(Event($"event_{i}"), false, T0);
            stored.Record(stored.Find($"event_{i}")!, 1, T0, Success, T0, Exact, DisableAfter);
        }

        stored.Enqueue(Event("event_pending"), false, T0);
        var rows = stored.TakeChanges().Upserts;

        var loaded = new DeliveryQueue(new DeliveryState(), rows.Select(DeliveryQueue.FromRow));
        loaded.Trim(2);

        Assert.Equal(["event_4", "event_5", "event_pending"], loaded.Deliveries.Select(d => d.EventId));
        Assert.True(loaded.Enqueue(Event("event_7"), false, T0));
        Assert.Equal(7, loaded.Find("event_7")!.Seq);
    }

    [Fact]
    public void StoredRows_CarryAnInlinePayloadVerbatim_AndReadBackExactly()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        const string payload = "{\"name\":\"<Ünïcode & \\\"quotes\\\">\"}";
        queue.Enqueue(new EventEnvelope("tenant", "event_1", "customer.created", "res", T0, payload), false, T0);

        var row = Assert.Single(queue.TakeChanges().Upserts);

        // Nothing escaped: the payload's own UTF-8 bytes, once.
        Assert.Equal(1, System.Text.Encoding.UTF8.GetString(row.Record).Split(payload).Length - 1);
        Assert.Equal(payload, DeliveryQueue.FromRow(row).Payload);
    }

    [Fact]
    public void StoredRows_LoadBack_IntoTheSameQueue()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_1"), false, T0);
        queue.Enqueue(Event("event_2"), false, T0);
        queue.Record(queue.Find("event_1")!, 1, T0, Failure(), T0, Exact, DisableAfter);
        var rows = queue.TakeChanges().Upserts;

        var loaded = new DeliveryQueue(new DeliveryState(), rows.Select(DeliveryQueue.FromRow));

        Assert.Equal(["event_2", "event_1"], loaded.Due(T0.AddSeconds(5)).Select(d => d.EventId));
        Assert.Equal(2, loaded.PendingCount);
        Assert.Single(loaded.Find("event_1")!.Attempts);
        loaded.Enqueue(Event("event_3"), false, T0);
        Assert.Equal(3, loaded.Find("event_3")!.Seq);
    }

    [Fact]
    public void Health_IsReportedChangedOnlyWhenItChanges()
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.Enqueue(Event("event_1"), false, T0);
        queue.Enqueue(Event("event_2"), false, T0);
        queue.Enqueue(Event("event_3"), false, T0);

        queue.Record(queue.Find("event_1")!, 1, T0, Success, T0, Exact, DisableAfter);
        Assert.False(queue.TakeHealthChange());
        queue.Record(queue.Find("event_2")!, 1, T0, Failure(), T0, Exact, DisableAfter);
        Assert.True(queue.TakeHealthChange());
        queue.Record(queue.Find("event_3")!, 1, T0, Failure(), T0, Exact, DisableAfter);
        Assert.False(queue.TakeHealthChange());
        queue.Record(queue.Find("event_2")!, 2, T0, Success, T0, Exact, DisableAfter);
        Assert.True(queue.TakeHealthChange());
    }
}
