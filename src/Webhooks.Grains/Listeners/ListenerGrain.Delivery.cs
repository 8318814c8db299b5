using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Signing;

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
    public const string TestEventCode = "webhook.test";

    /// <summary>How many parked deliveries one write releases when the listener is enabled.</summary>
    internal const int ReleaseBatch = 256;

    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private DeliveryQueue? _queue;
    private CoalescingWriter? _writer;
    private RetryPolicy? _retries;
    private IGrainTimer? _poll;
    private bool _wakeUpListed;
    private bool _probing;
    private ConcurrencyLimit? _limit;
    private RateBucket? _rate;
    private IGrainTimer? _rateWait;
    private Task _wakeUpChange = Task.CompletedTask;
    private int _pendingReported;
    private List<byte[]>? _signingKeys;

    private DeliveryQueue Queue => _queue!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await StoppedForTenantDeletionAsync())
        {
            return;
        }

        var stored = await log.LoadAsync(this.GetPrimaryKeyString());
        _queue = new DeliveryQueue(deliveries.State, stored.Select(DeliveryQueue.FromRow));
        _writer = new CoalescingWriter(FlushAsync);
        if (Queue.AbandonWithoutContent(time.GetUtcNow()) is > 0 and var abandoned)
        {
            LogEventsGone(logger, this.GetPrimaryKeyString(), abandoned);
            await WriteDeliveriesAsync();
        }

        var o = options.Value;
        TrimLog(); // rows trimmed before but not yet removed from storage (see DeliveryQueue.RemovalBatch)
        _retries = new RetryPolicy(o.GetRetrySchedule(), o.JitterRatio, Random.Shared.NextDouble);
        _limit = new ConcurrencyLimit(o.InitialConcurrency, o.MaxConcurrencyPerListener);
        // Adding the row again is an idempotent insert: cheaper than trusting that an earlier activation's did land.
        _wakeUpListed = false;
        Pump();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Attempts still in flight are abandoned unrecorded; their deliveries stay pending for the next activation.
        _stopping.Cancel();
        _poll?.Dispose();
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
    }

    public async Task<ImmutableArray<bool>> EnqueueAsync(ImmutableArray<EventEnvelope> envelopes)
    {
        var taken = ImmutableArray.CreateBuilder<bool>(envelopes.Length);
        var queued = false;
        var parked = false;
        var repeated = false;
        var now = time.GetUtcNow();
        foreach (var envelope in envelopes)
        {
            if (!State.Exists || State.TenantId != envelope.TenantId || _stopped)
            {
                taken.Add(false);
                continue;
            }

            // A disabled listener parks the event (DeliveryQueue.Enqueue): it is taken, and stored like any other.
            if (Queue.Enqueue(envelope, isTest: false, now))
            {
                var status = Queue.Find(envelope.EventId)!.Status;
                queued |= status == DeliveryStatus.Pending;
                parked |= status == DeliveryStatus.Parked;
            }
            else
            {
                repeated |= Queue.Find(envelope.EventId) is { Status: DeliveryStatus.Pending };
            }

            taken.Add(true);
        }

        // Accepted means durable, the wake-up included: had the silo died after answering but before the wake-up row
        // was stored, the deliveries would sit on storage with nothing to bring this listener back. Both writes run at once.
        if (queued)
        {
            await WriteWithWakeUpAsync();
            Pump();
        }
        else if (parked)
        {
            TrimLog(); // a disabled listener has no outcomes to trim after: parked ones past their retention leave here
            await WriteDeliveriesAsync(); // nothing to wake up for: parked deliveries wait for the listener to be enabled
        }
        else if (repeated)
        {
            await RequestWakeUp(listed: true); // a publish repeated after one whose wake-up row failed
        }

        return taken.MoveToImmutable();
    }

    public async Task<string?> TestAsync(string tenantId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var eventId = WebhookPublisher.EventIdPrefix + ResourceIds.NewRandomToken(16);
        Queue.Enqueue(new EventEnvelope(tenantId, eventId, TestEventCode, this.GetPrimaryKeyString(), now, null), isTest: true, now);
        await WriteDeliveriesAsync();
        Pump();
        return eventId;
    }

    // Reads trim the log first, so a quiet listener does not show deliveries past their retention. Safe in a read:
    // it only changes memory, without awaiting, and the removals go with the next write.
    public Task<DeliveryPage?> GetDeliveriesAsync(string tenantId, DeliveryStatus? status, int pageNumber, int pageSize) =>
        Task.FromResult(IsOwnedBy(tenantId) ? TrimmedLog().Page(status, pageNumber, pageSize) : null);

    public Task<DeliveryView?> GetDeliveryAsync(string tenantId, string eventId) =>
        Task.FromResult(IsOwnedBy(tenantId) && TrimmedLog().Find(eventId) is { } delivery ? DeliveryQueue.View(delivery) : null);

    public async Task<bool?> RedeliverAsync(string tenantId, string eventId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        if (TrimmedLog().Find(eventId) is { Status: not DeliveryStatus.Pending } finished)
        {
            await ReadContentAsync([finished]);
        }

        if (!Queue.Redeliver(eventId, time.GetUtcNow()))
        {
            return false;
        }

        // Like an enqueue, a redelivery is answered only once its wake-up is stored too.
        await WriteWithWakeUpAsync();
        Pump();
        return true;
    }

    public async Task<int?> RecoverAsync(string tenantId, DateTimeOffset since, DateTimeOffset? until)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        await ReadContentAsync([.. TrimmedLog().Deliveries.Where(d => DeliveryQueue.IsRecoverable(d, since, until))]);
        var requeued = Queue.Recover(since, until, time.GetUtcNow());
        if (requeued > 0)
        {
            await WriteWithWakeUpAsync();
            Pump();
        }

        return requeued;
    }

    public async Task<ListenerView?> EnableAsync(string tenantId, bool replayParked)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        TrimLog(); // parked ones past their retention are not released: their events may be gone
        // Parked deliveries are released a batch at a time, each batch on storage before the next, while the
        // listener is still disabled: a crash part-way leaves every one either released (pending, which resumes on
        // enable like any delivery that was pending when the listener was disabled, or skipped) or still parked,
        // and the listener disabled, so enabling again finishes the job. Events parked meanwhile (enqueues
        // interleave) are released by the same loop; the last look and the enable share one turn.
        var now = time.GetUtcNow();
        // A parked delivery keeps no payload in memory: each batch to replay reads its events first, and one whose
        // event is no longer stored ends as failed instead of being attempted with nothing to send.
        while (Queue.NextParked(ReleaseBatch) is { Count: > 0 } batch)
        {
            if (replayParked)
            {
                await ReadContentAsync(batch);
            }

            Queue.ReleaseParked(replayParked, batch.Count, now);
            if (Queue.AbandonWithoutContent(now) is > 0 and var abandoned)
            {
                LogEventsGone(logger, this.GetPrimaryKeyString(), abandoned);
            }

            await WriteDeliveriesAsync();
        }

        if (deliveries.State.Disabled)
        {
            Queue.Enable();
            Announce(OperationalEventTypes.Enabled, AnnouncedReasons.EnabledByUser, LastStatusCode(), LastError());
            await (Queue.PendingCount > 0 ? WriteWithWakeUpAsync() : WriteDeliveriesAsync());
            PublishAnnouncements();
            Pump();
        }

        return View();
    }

    public async Task<ListenerView?> DisableAsync(string tenantId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        if (!deliveries.State.Disabled)
        {
            Queue.Disable();
            Announce(OperationalEventTypes.Disabled, AnnouncedReasons.DisabledByUser, LastStatusCode(), LastError());
        }

        await WriteDeliveriesAsync();
        PublishAnnouncements();
        Pump(); // stops the poll timer; attempts already out finish and are recorded
        return View();
    }

    // Activation already pumped; for a listener that was active, one more pump costs nothing. The row is removed only
    // here, by a wake-up that finds nothing pending, and not each time the queue drains: under load the pending count
    // crosses zero constantly, and a write for each crossing would cost more than the deliveries themselves. The
    // waker read our row, so it is removed whatever this activation believes.
    public Task WakeAsync()
    {
        Pump();
        if (Queue.PendingCount == 0 && !_stopping.IsCancellationRequested)
        {
            RequestWakeUp(listed: false, force: true).Ignore(); // a failure is logged; the next wake-up tries again
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

        // While the listener's circuit is open, attempts would only fail at once and use up the schedule: the
        // queue waits, and the poll timer looks again until the break is over. Then one attempt goes alone, as the
        // circuit's trial (it admits no other), until one succeeds.
        var held = active && sender.IsHeld(this.GetPrimaryKeyString());
        _probing |= held;
        if (active && !held)
        {
            var limit = _probing ? 1 : _limit!.Current;
            var now = time.GetUtcNow();
            if (_inFlight.Count < limit && Queue.AnyDue(now))
            {
                // Collected first: an attempt that fails before its first await records its outcome (re-sorting the
                // queue, and pumping again) at once. Deliveries in flight are still pending, hence the look past them.
                var starting = new List<DeliveryRecord>(limit - _inFlight.Count);
                foreach (var due in Queue.Due(now))
                {
                    if (_inFlight.Count + starting.Count >= limit)
                    {
                        break;
                    }

                    if (!_inFlight.Contains(due.EventId))
                    {
                        starting.Add(due);
                    }
                }

                var rate = RateFor(State.MaxDeliveriesPerSecond);
                foreach (var due in starting)
                {
                    // Still due: a nested pump may have started, and a failure already rescheduled, this one.
                    if (_inFlight.Count < limit && due.Status == DeliveryStatus.Pending && due.NextAttemptAt <= now && !_inFlight.Contains(due.EventId))
                    {
                        if (rate is not null && !rate.TryTake())
                        {
                            WaitForToken(rate);
                            break;
                        }

                        _inFlight.Add(due.EventId);
                        _ = AttemptAsync(due);
                    }
                }
            }

            if (!_probing)
            {
                _limit!.NoteInFlight(_inFlight.Count);
            }
        }

        KeepAwake(active, pending > 0);
    }

    /// <summary>The listener's token bucket, made anew when its rate changed; null without a rate of its own.</summary>
    private RateBucket? RateFor(double? perSecond) =>
        perSecond is not { } rate ? _rate = null
        : _rate is { } bucket && bucket.PerSecond == rate ? bucket
        : _rate = new RateBucket(rate, time);

    /// <summary>
    /// Pumps again when the next token is due, sooner than the poll timer would. One wait at a time: the token it waits
    /// for comes no later for the pumps that find the bucket empty meanwhile.
    /// </summary>
    private void WaitForToken(RateBucket rate)
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
        }, this, new GrainTimerCreationOptions(rate.UntilNext(), Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private async Task AttemptAsync(DeliveryRecord delivery)
    {
        var attempt = delivery.Attempts.Count + 1;
        var epoch = _limit!.Epoch;
        var startedAt = time.GetUtcNow();
        AttemptOutcome outcome;
        try
        {
            if (!delivery.HasContent)
            {
                throw new InvalidOperationException("The delivery's event is not in memory.");
            }

            var envelope = new EventEnvelope(State.TenantId!, delivery.EventId, delivery.EventCode, delivery.ResourceId, delivery.EventDate, delivery.Payload, delivery.EventSeq);
            var signed = await bodies.GetAsync(envelope, attempt);
            var request = new DeliveryRequest(this.GetPrimaryKeyString(), new Uri(State.Uri!), signed.Body, Headers(delivery.EventId, signed));
            // Started on this turn, but the exchange itself runs on the thread pool once it first waits for the
            // network: the grain keeps serving (other attempts, enqueues, edits) while a listener takes its time.
            outcome = await sender.SendAsync(request, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            LogAttemptNotSent(logger, ex, this.GetPrimaryKeyString(), delivery.EventId);
            outcome = new AttemptOutcome(false, null, TimeSpan.Zero, "The request could not be prepared; it will be retried.", null, null);
        }
        finally
        {
            _inFlight.Remove(delivery.EventId);
        }

        if (_stopped || !ReferenceEquals(Queue.Find(delivery.EventId), delivery) || delivery.Status != DeliveryStatus.Pending)
        {
            return; // the listener or its tenant was deleted, or the log moved on, while the attempt was out
        }

        var o = options.Value;
        if (!_probing && _limit!.Record(epoch, outcome, o.Timeout))
        {
            metrics.ConcurrencyLimitChanged(_limit.Current);
        }

        var wasDisabled = deliveries.State.Disabled;
        Queue.Record(delivery, attempt, startedAt, outcome, time.GetUtcNow(), _retries!, o.DisableAfter);
        _probing &= !outcome.Succeeded;
        metrics.AttemptRecorded(delivery.Status, outcome);
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
        // the delivery is still pending, and sends it again.
        Pump();
        try
        {
            await WriteDeliveriesAsync();
        }
        catch (Exception ex)
        {
            _announcements.Clear(); // the outcome is not stored: the attempt runs again, and its outcome announces
            LogOutcomeNotStored(logger, ex, this.GetPrimaryKeyString(), delivery.EventId);
            return;
        }

        PublishAnnouncements();
        Pump();
    }

    // The count cap, then the ages (RetentionOptions): what the log shows and holds in memory; their rows follow.
    private void TrimLog()
    {
        var now = time.GetUtcNow();
        var r = retention.Value;
        Queue.Trim(options.Value.LogRetention, options.Value.FailedLogRetention);
        Queue.Expire(now - r.SucceededDeliveries, now - r.FailedDeliveries);
    }

    private DeliveryQueue TrimmedLog()
    {
        TrimLog();
        return Queue;
    }

    private List<KeyValuePair<string, string>> Headers(string eventId, SignedBody signed)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        return
        [
            new("N-Signature", signed.Signature),
            new("N-Signature-Key-Id", signed.KeyId),
            new("webhook-id", eventId),
            new("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture)),
            new("webhook-signature", StandardWebhookSignature.Compute(SigningKeys(), eventId, timestamp, signed.Body)),
        ];
    }

    /// <summary>The HMAC keys that sign now: the current secret, and the previous one during a rotation's overlap.</summary>
    private List<byte[]> SigningKeys()
    {
        var previousLive = State.PreviousProtectedSecret is not null && State.PreviousSecretExpiresAt > time.GetUtcNow();
        if (_signingKeys is null || (_signingKeys.Count > 1 && !previousLive))
        {
            _signingKeys = [ListenerSecrets.KeyBytes(protector.UnprotectListenerSecret(State.ProtectedSecret!))];
            if (previousLive)
            {
                _signingKeys.Add(ListenerSecrets.KeyBytes(protector.UnprotectListenerSecret(State.PreviousProtectedSecret!)));
            }
        }

        return _signingKeys;
    }

    /// <summary>
    /// Reads back the stored events of finished deliveries about to be attempted again: a finished delivery does not
    /// keep its payload in memory. One whose event is no longer stored stays without, and is not attempted again.
    /// </summary>
    private async Task ReadContentAsync(IReadOnlyCollection<DeliveryRecord> deliveries)
    {
        var missing = deliveries.Where(d => !d.HasContent && d.EventSeq is not null).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var contents = await events.GetContentAsync([.. missing.Select(d => d.EventSeq!.Value)]);
        foreach (var delivery in missing)
        {
            if (contents.TryGetValue(delivery.EventSeq!.Value, out var content))
            {
                delivery.Attach(content);
            }
        }
    }

    /// <summary>Stores what changed since the last flush: the changed deliveries as rows, then the health if it changed.</summary>
    private async Task FlushAsync()
    {
        // Taken now, on the grain's turn; changes made while this write is out go with the next one.
        var changes = Queue.TakeChanges();
        var healthChanged = Queue.TakeHealthChange();
        if (!changes.IsEmpty)
        {
            await log.SaveAsync(this.GetPrimaryKeyString(), changes);
        }

        if (healthChanged)
        {
            await deliveries.WriteStateAsync();
        }
    }

    private async Task WriteDeliveriesAsync()
    {
        try
        {
            await _writer!.WriteAsync();
        }
        catch
        {
            // Memory is ahead of storage now; start over from what is stored.
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Writes the deliveries and, at once, makes sure the wake-up row is stored; completes when both are.</summary>
    private Task WriteWithWakeUpAsync()
    {
        var write = WriteDeliveriesAsync();
        var wakeUp = RequestWakeUp(listed: true);
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

        KeepAwake(active: false, pending: false);
        if (_wakeUpListed && !_stopping.IsCancellationRequested)
        {
            RequestWakeUp(listed: false).Ignore();
        }
    }

    /// <summary>A poll timer while attempts may come due; a wake-up row from the first pending delivery on, so a restart wakes us.</summary>
    private void KeepAwake(bool active, bool pending)
    {
        if (active && _poll is null)
        {
            var interval = options.Value.PollInterval;
            _poll = this.RegisterGrainTimer(static (grain, _) => { grain.Pump(); return Task.CompletedTask; }, this,
                new GrainTimerCreationOptions(interval, interval) { Interleave = true, KeepAlive = true });
        }
        else if (!active && _poll is not null)
        {
            _poll.Dispose();
            _poll = null;
        }

        if (pending && !_wakeUpListed && !_stopping.IsCancellationRequested)
        {
            RequestWakeUp(listed: true).Ignore(); // a failure is logged, and asked again on the next change of state
        }
    }

    /// <summary>
    /// Asks for the listener's wake-up row to exist or not (<paramref name="force"/>: even when this activation
    /// believes it already is so). Changes are stored one after another in the order asked, so a removal still on its
    /// way can never undo a later addition. Completes when this state is stored.
    /// </summary>
    private Task RequestWakeUp(bool listed, bool force = false)
    {
        if (listed == _wakeUpListed && !force && !_wakeUpChange.IsFaulted)
        {
            return _wakeUpChange;
        }

        _wakeUpListed = listed;
        return _wakeUpChange = ChangeWakeUpAsync(_wakeUpChange, listed);
    }

    private async Task ChangeWakeUpAsync(Task previous, bool listed)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That change's failure was logged and reported to its own callers; this one stands on its own.
        }

        try
        {
            await (listed ? wakeUps.AddAsync(this.GetGrainId()) : wakeUps.RemoveAsync(this.GetGrainId()));
        }
        catch (Exception ex)
        {
            // Try again on the next change of state, unless a later request has already changed it.
            if (_wakeUpListed == listed)
            {
                _wakeUpListed = !listed;
            }

            LogWakeUpFailed(logger, ex, this.GetPrimaryKeyString());
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: the attempt for {EventId} could not be prepared")]
    private static partial void LogAttemptNotSent(ILogger logger, Exception exception, string listenerId, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: the outcome for {EventId} could not be stored; it will be attempted again")]
    private static partial void LogOutcomeNotStored(ILogger logger, Exception exception, string listenerId, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: {Count} pending deliveries refer to events that are no longer stored; they end as failed, with nothing to send")]
    private static partial void LogEventsGone(ILogger logger, string listenerId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: its row on the wake-up list could not be updated")]
    private static partial void LogWakeUpFailed(ILogger logger, Exception exception, string listenerId);
}
