using Microsoft.Extensions.Logging;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Listeners;

/// <summary>
/// Delivery: the queue is the listener's rows in the delivery log (<see cref="IDeliveryLog"/>) plus its health
/// as grain state; attempts run off the grain's turn; outcomes are written back, only the rows that changed.
/// </summary>
/// <remarks>
/// Invariant: a delivery leaves <see cref="DeliveryStatus.Pending"/> only after the outcome that ends it is on
/// storage. An attempt in flight is not recorded anywhere, so a crash mid-attempt means the delivery is simply
/// still pending — the next activation sends it again (at-least-once; listeners de-duplicate on webhook-id).
/// What brings a listener with pending deliveries back after a restart is its row on the wake-up list
/// (<see cref="IWakeUps"/>), stored with its first pending delivery and removed by a wake-up that finds none; while
/// active, a grain timer polls for due attempts. <c>PendingWakeUp</c> reads the list when a silo starts, when another
/// one leaves and every wake interval, and calls <see cref="WakeAsync"/> on each, which sends what is due at once.
/// </remarks>
public sealed partial class ListenerGrain
{
    /// <summary>The reminder earlier versions woke a listener with; one still stored in a host's reminder service is removed.</summary>
    internal const string LegacyWakeReminder = "deliveries";

    /// <summary>How many parked deliveries one write releases when the listener is enabled.</summary>
    internal const int ReleaseBatch = 256;

    private readonly CancellationTokenSource _stopping = new();
    private DeliveryQueue? _queue;
    private CoalescingWriter? _writer;
    private Uri? _target;
    private RetryPolicy? _retries;
    private DeliveryPump? _pump;
    private WakeUp? _wakeUp;
    private IGrainTimer? _rateWait;
    private int _pendingReported;

    private DeliveryQueue Queue => _queue!;

    private WakeUp WakeUps => _wakeUp ??= new WakeUp(wakeUps, this.GetGrainId(), logger, () =>
        this.RegisterGrainTimer(static (grain, _) => { grain.Pump(); return Task.CompletedTask; }, this,
            new GrainTimerCreationOptions(options.Value.PollInterval, options.Value.PollInterval) { Interleave = true, KeepAlive = true }));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await StoppedForTenantDeletionAsync())
        {
            return;
        }

        var stored = await log.LoadAsync(this.GetPrimaryKeyString());
        _queue = new DeliveryQueue(deliveries.State, stored.Select(DeliveryQueue.FromRow));
        _writer = new CoalescingWriter(FlushAsync, FlushLogAsync);
        if (Queue.AbandonWithoutContent(time.GetUtcNow()) is > 0 and var abandoned)
        {
            LogEventsGone(logger, this.GetPrimaryKeyString(), abandoned);
            await WriteDeliveriesAsync();
        }

        var o = options.Value;
        TrimLog(); // rows trimmed before but not yet removed from storage (see DeliveryQueue.RemovalBatch)
        _retries = new RetryPolicy(o.GetRetrySchedule(), o.JitterRatio, Random.Shared.NextDouble);
        _pump = new DeliveryPump(new ConcurrencyLimit(o.InitialConcurrency, o.MaxConcurrencyPerListener), time);
        Queue.SetOrdering(State.Ordering);
        // The wake-up row starts unlisted: adding it again is an idempotent insert, cheaper than trusting that an
        // earlier activation's did land.
        Pump();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Attempts still in flight are abandoned unrecorded; their deliveries stay pending for the next activation.
        _stopping.Cancel();
        _wakeUp?.StopPolling();
        metrics.PendingChanged(-_pendingReported);
        _pendingReported = 0;

        // Outcomes already being written land first: the next activation loads what is stored, and must not find a
        // delivery this one finished still pending (sending it again, or refusing to redeliver it).
        if (_writer?.Idle is { IsCompleted: false } writing)
        {
            try
            {
                await writing.WaitAsync(cancellationToken);
            }
            catch
            {
                // Reported to that write's own callers; whatever did not land is what the next activation starts from.
            }
        }

        await WriteLastStatsAsync(cancellationToken);
    }

    // Activation already pumped; for a listener that was active, one more pump costs nothing. The row is removed only
    // here, by a wake-up that finds nothing pending (see WakeUp). The waker read our row, so it is removed whatever
    // this activation believes.
    public Task WakeAsync()
    {
        Pump();
        if (Queue.PendingCount == 0 && !_stopping.IsCancellationRequested)
        {
            WakeUps.Request(listed: false, force: true).Ignore(); // a failure is logged; the next wake-up tries again
        }

        return Task.CompletedTask;
    }

    // Only a host's reminder service still holding a reminder of an earlier version calls this: the wake-up list
    // does its work now (the pump lists this listener when something is pending), so the reminder goes.
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Pump();
        if (reminderName == LegacyWakeReminder && await this.GetReminder(LegacyWakeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Starts every due attempt the concurrency bound allows, and keeps the timer and wake-up row in step with the queue.</summary>
    private void Pump()
    {
        var pending = State.Exists && !_stopped ? Queue.PendingCount : 0;
        metrics.PendingChanged(pending - _pendingReported);
        _pendingReported = pending;
        var active = pending > 0 && !deliveries.State.Disabled && !_stopping.IsCancellationRequested;

        if (active)
        {
            // While the listener's circuit is open, attempts would only fail at once and use up the schedule: the
            // queue waits, and the poll timer looks again until the break is over (see DeliveryPump.TakeDue).
            var starting = _pump!.TakeDue(Queue, sender.IsHeld(this.GetPrimaryKeyString()), State.MaxDeliveriesPerSecond, out var tokenWait);
            // All counted in flight first: an attempt that fails before its first await records its outcome (and
            // pumps again) at once, and that pump must not start these a second time.
            foreach (var due in starting)
            {
                _ = AttemptAsync(due);
            }

            if (tokenWait is { } wait)
            {
                WaitForToken(wait);
            }
        }
        else if (pending > 0 && deliveries.State.Disabled && !_stopping.IsCancellationRequested)
        {
            // A disabled listener still sends the test events it is asked for (never retried, so nothing to come back
            // for); the deliveries that wait for it to be enabled stay where they are.
            foreach (var test in _pump!.TakeDueTests(Queue))
            {
                _ = AttemptAsync(test);
            }
        }

        WakeUps.KeepAwake(active, pending > 0 && !_stopping.IsCancellationRequested);
    }

    /// <summary>
    /// Pumps again when the next token is due, sooner than the poll timer would. One wait at a time: the token it waits
    /// for comes no later for the pumps that find the bucket empty meanwhile.
    /// </summary>
    private void WaitForToken(TimeSpan wait)
    {
        if (_rateWait is not null)
        {
            return;
        }

        _rateWait = this.RegisterGrainTimer(static (grain, _) =>
        {
            grain._rateWait?.Dispose();
            grain._rateWait = null;
            grain.Pump();
            return Task.CompletedTask;
        }, this, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    /// <summary>The listener's URI, parsed once per value it takes rather than once per attempt.</summary>
    private Uri Target() =>
        _target is { } target && string.Equals(target.OriginalString, State.Uri, StringComparison.Ordinal)
            ? target
            : _target = new Uri(State.Uri!);

    private async Task AttemptAsync(DeliveryRecord delivery)
    {
        var attempt = delivery.Attempts.Count + 1;
        var epoch = _pump!.Epoch;
        var startedAt = time.GetUtcNow();
        AttemptOutcome outcome;
        DeliveryRequest? request = null;
        try
        {
            request = await Signer.SignAsync(this.GetPrimaryKeyString(), State.TenantId!, Target(), Keys(), Headers(), State.Signatures, delivery, attempt);
            // Started on this turn, but the exchange itself runs on the thread pool once it first waits for the
            // network: the grain keeps serving (other attempts, enqueues, edits) while a listener takes its time.
            outcome = await sender.SendAsync(request, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            _pump.Release(delivery.EventId); // nothing recorded: the delivery is as it was, still its key's head
            return;
        }
        catch (Exception ex)
        {
            LogAttemptNotSent(logger, ex, this.GetPrimaryKeyString(), delivery.EventId);
            outcome = new AttemptOutcome(false, null, TimeSpan.Zero, "The request could not be prepared; it will be retried.", null, null);
        }
        finally
        {
            _pump.Finished(delivery.EventId);
        }

        if (_stopped || !ReferenceEquals(Queue.Find(delivery.EventId), delivery) || delivery.Status != DeliveryStatus.Pending)
        {
            // The listener or its tenant was deleted, or the log moved on, while the attempt was out: nothing to record.
            _pump.Release(delivery.EventId);
            Pump();
            return;
        }

        var o = options.Value;
        if (_pump.Record(epoch, outcome, o.Timeout))
        {
            metrics.ConcurrencyLimitChanged(_pump.Limit);
        }

        var wasDisabled = deliveries.State.Disabled;
        var now = time.GetUtcNow();
        Queue.Record(delivery, attempt, startedAt, outcome, now, _retries!, o.DisableAfter);
        CountAttempt(delivery, outcome, now);
        metrics.AttemptRecorded(delivery.Status, outcome);
        if (delivery.IsTest)
        {
            TestEnded(delivery.EventId, outcome, request);
        }

        if (!wasDisabled && deliveries.State.Disabled)
        {
            metrics.ListenerDisabled();
            Announce(OperationalEventTypes.Disabled, DisabledByOutcomeReason(), outcome.StatusCode, outcome.Error);
        }

        // Not for an operational event itself: two failing listeners subscribed to each other's would announce forever.
        if (delivery.Status == DeliveryStatus.Failed && !delivery.IsTest && !OperationalEventTypes.IsOperational(delivery.EventCode))
        {
            Announce(OperationalEventTypes.DeliveryExhausted, AnnouncedReasons.RetriesExhausted, outcome.StatusCode, outcome.Error, delivery);
        }

        TrimLog();

        // The slot is free now: the next due attempt need not wait for this outcome's write. That write only
        // moves this delivery out of Pending; should it fail, the activation starts over from storage, where
        // the delivery is still pending, and sends it again. In an ordered listener this delivery's key stays held
        // (DeliveryPump.Release) until the write has landed, so its successor is never sent before it is.
        Pump();
        try
        {
            await WriteDeliveriesAsync();
        }
        catch (Exception ex)
        {
            // The key stays held: the activation is going away (WriteOrDeactivateAsync), and the next one loads this
            // delivery as storage has it, possibly still pending and still its key's head.
            _announcements.Clear(); // the outcome is not stored: the attempt runs again, and its outcome announces
            LogOutcomeNotStored(logger, ex, this.GetPrimaryKeyString(), delivery.EventId);
            return;
        }

        _pump.Release(delivery.EventId);
        PublishAnnouncements();
        Pump();
    }

    /// <summary>Stores what changed since the last flush: the changed deliveries as rows, then the health if it changed (and the stats when due).</summary>
    private async Task FlushAsync()
    {
        // Taken now, on the grain's turn; changes made while this write is out go with the next one.
        var changes = Queue.TakeChanges();
        var healthChanged = Queue.TakeHealthChange();
        var stateChanged = TakeStatsWrite(healthChanged) || healthChanged;
        if (!changes.IsEmpty)
        {
            await log.SaveAsync(this.GetPrimaryKeyString(), changes);
        }

        if (stateChanged)
        {
            await deliveries.WriteStateAsync();
        }
    }

    /// <summary>
    /// Stores only the changed deliveries, alongside a flush in flight: the health and the stats, written under the
    /// grain state's ETag, go with the next ordinary flush.
    /// </summary>
    private Task FlushLogAsync()
    {
        var changes = Queue.TakeChanges();
        return changes.IsEmpty ? Task.CompletedTask : log.SaveAsync(this.GetPrimaryKeyString(), changes);
    }

    private Task WriteDeliveriesAsync() => this.WriteOrDeactivateAsync(_writer!.WriteAsync);

    /// <summary>
    /// Writes the deliveries and, at once, makes sure the wake-up row is stored; completes when both are. With
    /// <paramref name="alongside"/>, only the deliveries' rows are written, beside any flush in flight: a publish
    /// waits for its own rows, not also for the outcomes of earlier attempts being written. A command that changes the
    /// listener's health (enabling it) must not ask for that: its answer waits for the health on storage.
    /// </summary>
    private Task WriteWithWakeUpAsync(bool alongside = false)
    {
        var write = alongside ? this.WriteOrDeactivateAsync(_writer!.WriteAlongsideAsync) : WriteDeliveriesAsync();
        var wakeUp = WakeUps.Request(listed: true);
        return wakeUp.IsCompletedSuccessfully ? write : Task.WhenAll(write, wakeUp);
    }

    private async Task ForgetDeliveriesAsync()
    {
        if (Queue.Deliveries.Count > 0 || deliveries.State.Disabled || deliveries.State.FailingSince is not null)
        {
            Queue.Clear();
            Queue.Enable();
            await WriteDeliveriesAsync();
        }

        WakeUps.StopPolling();
        if (WakeUps.Listed && !_stopping.IsCancellationRequested)
        {
            WakeUps.Request(listed: false).Ignore();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: the attempt for {EventId} could not be prepared")]
    private static partial void LogAttemptNotSent(ILogger logger, Exception exception, string listenerId, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: the outcome for {EventId} could not be stored; it will be attempted again")]
    private static partial void LogOutcomeNotStored(ILogger logger, Exception exception, string listenerId, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: {Count} pending deliveries refer to events that are no longer stored; they end as failed, with nothing to send")]
    private static partial void LogEventsGone(ILogger logger, string listenerId, int count);
}
