using System.Text;
using System.Text.Json;
using Webhooks.Grains.Delivery.Log;
using Microsoft.Data.Sqlite;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// Each accepted event is stored once: delivery rows refer to it and carry no payload, yet every delivery is sent with
/// it — fresh, after the listener reloads, and when redelivered — rows written before the upgrade still deliver, and a
/// publish cut off between its writes is repeated safely.
/// </summary>
public sealed class EventStoredOnceTests : GrainDeliveryTests
{
    [Fact]
    public async Task Publish_StoresThePayloadOnce_AndEveryDeliveryRowRefersToIt()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment);
        var (tenantId, listenerIds) = await TenantWithListenersAsync(cluster, target.Status(200), target.Status(200), target.Status(200));
        var marker = Marker();

        var published = await Publish(cluster, tenantId, marker);

        Assert.Equal(3, published.MatchedWebhooks);
        foreach (var listenerId in listenerIds)
        {
            await WaitForDeliveryAsync(cluster, tenantId, listenerId, published.EventId, d => d.Status == DeliveryStatus.Succeeded);
        }

        Assert.Equal(3, target.Succeeded.Count(r => IdOf(r) == published.EventId && Body(r).Contains(marker, StringComparison.Ordinal)));
        using var database = deployment.OpenDatabase();
        // While the silo runs, the deliveries' changes are appended to the journal; none carries the payload either.
        Assert.All(All(database, "SELECT EventSeq, CAST(Record AS TEXT) FROM WebhooksDeliveryJournal WHERE Record IS NOT NULL;", r => (r.GetInt64(0), r.GetString(1))),
            row => Assert.DoesNotContain(marker, row.Item2, StringComparison.Ordinal));
        await cluster.DisposeAsync(); // a clean stop folds the journal into WebhooksDeliveries
        Assert.Equal(0L, Single(database, "SELECT count(*) FROM WebhooksDeliveryJournal;", r => r.GetInt64(0)));
        var (seq, matched, listeners) = Single(database, "SELECT e.Seq, o.Matched, o.Listeners FROM WebhooksEvents e JOIN WebhooksEventOutcomes o ON o.Seq = e.Seq WHERE e.EventId = $1;",
            r => (r.GetInt64(0), r.GetInt32(1), r.GetString(2)), published.EventId);
        Assert.Equal(3, matched);
        Assert.Equal(listenerIds.Order(StringComparer.Ordinal), listeners.Split(',').Order(StringComparer.Ordinal));
        Assert.Equal(1L, Single(database, "SELECT count(*) FROM WebhooksEvents WHERE instr(Payload, $1) > 0;", r => r.GetInt64(0), marker));

        var rows = All(database, "SELECT EventSeq, CAST(Record AS TEXT) FROM WebhooksDeliveries;", r => (r.GetInt64(0), r.GetString(1)));
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(seq, row.Item1);
            Assert.DoesNotContain(marker, row.Item2, StringComparison.Ordinal);
            Assert.DoesNotContain("payload", row.Item2, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PendingDelivery_LoadedByANewActivation_IsSentWithItsPayload()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o => o.RetrySchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)]);
        var (tenantId, listenerIds) = await TenantWithListenersAsync(cluster, target.Unavailable);
        var marker = Marker();
        var published = await Publish(cluster, tenantId, marker);
        await WaitForDeliveryAsync(cluster, tenantId, listenerIds[0], published.EventId, d => d.Attempts.Length == 1 && d.Status == DeliveryStatus.Pending);

        // The activation that queued the event had its payload in memory; the next one has only the stored rows.
        await cluster.DeactivateAsync(cluster.Listener(listenerIds[0]));
        target.Recover();
        await cluster.Listener(listenerIds[0]).WakeAsync();

        await WaitUntilAsync(() => target.Succeeded.Any(r => IdOf(r) == published.EventId), "the delivery succeeds");
        Assert.Contains(marker, Body(target.Succeeded.Single(r => IdOf(r) == published.EventId)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedDelivery_Redelivered_ReadsItsPayloadBackFromTheStore()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment);
        var (tenantId, listenerIds) = await TenantWithListenersAsync(cluster, target.Status(200));
        var marker = Marker();
        var published = await Publish(cluster, tenantId, marker);
        await WaitForDeliveryAsync(cluster, tenantId, listenerIds[0], published.EventId, d => d.Status == DeliveryStatus.Succeeded);

        // Once in the activation that sent it (which let go of the payload when it finished), once in a fresh one.
        Assert.True(await cluster.Listener(listenerIds[0]).RedeliverAsync(tenantId, published.EventId));
        await WaitUntilAsync(() => target.Succeeded.Count(r => IdOf(r) == published.EventId) == 2, "the first redelivery arrives");
        await WaitForDeliveryAsync(cluster, tenantId, listenerIds[0], published.EventId, d => d.Status == DeliveryStatus.Succeeded && d.Attempts.Length == 2);
        await cluster.DeactivateAsync(cluster.Listener(listenerIds[0]));
        Assert.True(await cluster.Listener(listenerIds[0]).RedeliverAsync(tenantId, published.EventId));
        // At least: had the second outcome not been stored before the deactivation, the fresh activation sends it once more.
        await WaitUntilAsync(() => target.Succeeded.Count(r => IdOf(r) == published.EventId) >= 3, "the second redelivery arrives");

        Assert.All(target.Succeeded.Where(r => IdOf(r) == published.EventId), r => Assert.Contains(marker, Body(r), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RowsWrittenBeforeTheUpgrade_AreDeliveredWithTheirOwnPayload_AndOldIdsStillDeduplicate()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        Action<DeliveryOptions> options = o =>
        {
            o.RetrySchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)];
            o.WakeInterval = TimeSpan.FromSeconds(1);
        };
        var marker = Marker();
        string tenantId, listenerId, eventId;
        await using (var before = await StartClusterAsync(deployment, options))
        {
            (tenantId, var ids) = await TenantWithListenersAsync(before, target.Unavailable);
            listenerId = ids[0];
            eventId = (await Publish(before, tenantId, marker)).EventId;
            await WaitForDeliveryAsync(before, tenantId, listenerId, eventId, d => d.Attempts.Length == 1);
        }

        // The database as version 4 left it: the payload in the delivery's own row, the id only in the older table.
        DowngradeToVersion4(deployment, tenantId, eventId);
        target.Recover();

        await using var after = await StartClusterAsync(deployment, options);
        await WaitUntilAsync(() => target.Succeeded.Any(r => IdOf(r) == eventId), "the old row is delivered after the upgrade");
        var attemptsBefore = target.Requests.Count(r => IdOf(r) == eventId);
        Assert.Contains(marker, Body(target.Succeeded.Single(r => IdOf(r) == eventId)), StringComparison.Ordinal);
        var delivered = await WaitForDeliveryAsync(after, tenantId, listenerId, eventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(200, delivered.Attempts[^1].StatusCode);

        // Ids accepted before the upgrade are answered from the older table and deliver nothing again.
        Assert.Equal(1, (await Publish(after, tenantId, marker, eventId)).MatchedWebhooks);
        Assert.Equal(7, (await Publish(after, tenantId, marker, "event_accepted_long_ago")).MatchedWebhooks);
        var fresh = await Publish(after, tenantId, marker);
        await WaitUntilAsync(() => target.Succeeded.Any(r => IdOf(r) == fresh.EventId), "a new event is delivered");
        Assert.Equal(attemptsBefore, target.Requests.Count(r => IdOf(r) == eventId));
        Assert.DoesNotContain(target.Requests, r => IdOf(r) == "event_accepted_long_ago");
    }

    [Fact]
    public async Task Publish_CutOffAfterItsEventRow_IsDeliveredOnceWhenRepeated()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        var eventId = "event_" + Guid.NewGuid().ToString("N");
        string tenantId;
        string[] listenerIds;
        var crashed = await StartClusterAsync(deployment);
        try
        {
            (tenantId, listenerIds) = await TenantWithListenersAsync(crashed, target.Status(200), target.Status(200));
            crashed.Faults.CrashOn(w => w.StateName == "delivery-log"); // the first listener's delivery row never lands
            var interrupted = Publish(crashed, tenantId, Marker(), eventId);
            await crashed.Faults.Crashed.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(interrupted.IsCompleted, "The publish returned before its deliveries were stored.");
            _ = interrupted.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        }
        finally
        {
            await crashed.CrashAsync();
        }

        using (var database = deployment.OpenDatabase())
        {
            Assert.True(Single(database, "SELECT Matched IS NULL AND NOT EXISTS (SELECT 1 FROM WebhooksEventOutcomes o WHERE o.Seq = e.Seq) FROM WebhooksEvents e WHERE EventId = $1;", r => r.GetBoolean(0), eventId), "The event has an outcome.");
            Assert.Equal(0L, Single(database, "SELECT (SELECT count(*) FROM WebhooksDeliveries) + (SELECT count(*) FROM WebhooksDeliveryJournal);", r => r.GetInt64(0)));
        }

        await using var restarted = await StartClusterAsync(deployment);
        Assert.Equal(2, (await Publish(restarted, tenantId, Marker(), eventId)).MatchedWebhooks);
        foreach (var listenerId in listenerIds)
        {
            await WaitForDeliveryAsync(restarted, tenantId, listenerId, eventId, d => d.Status == DeliveryStatus.Succeeded);
        }

        Assert.Equal(2, (await Publish(restarted, tenantId, Marker(), eventId)).MatchedWebhooks);
        Assert.Equal(2, target.Requests.Count(r => IdOf(r) == eventId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_WhoseOutcomeWriteFails_IsAnsweredWithTheSameCountWhenRepeated_AndQueuedOnce(bool afterWriting)
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        var eventId = "event_" + Guid.NewGuid().ToString("N");
        string tenantId;
        string[] listenerIds;
        await using (var failing = await StartClusterAsync(deployment))
        {
            (tenantId, listenerIds) = await TenantWithListenersAsync(failing, target.Status(200), target.Status(200));

            // Both deliveries are stored; the outcome either never lands or lands unacknowledged. Either way no 202.
            failing.Faults.FailOnce(w => w.StateName == FaultInjectingAcceptedEvents.Complete, afterWriting);
            await Assert.ThrowsAnyAsync<Exception>(() => Publish(failing, tenantId, Marker(), eventId));
            foreach (var listenerId in listenerIds)
            {
                await WaitForDeliveryAsync(failing, tenantId, listenerId, eventId, d => d.Status == DeliveryStatus.Succeeded);
            }
        }

        await using var restarted = await StartClusterAsync(deployment);
        Assert.Equal(2, (await Publish(restarted, tenantId, Marker(), eventId)).MatchedWebhooks);
        Assert.Equal(2, (await Publish(restarted, tenantId, Marker(), eventId)).MatchedWebhooks);
        foreach (var listenerId in listenerIds)
        {
            var page = await restarted.Listener(listenerId).GetDeliveriesAsync(tenantId, null, 1, 100);
            Assert.Equal(DeliveryStatus.Succeeded, Assert.Single(page!.Items, d => d.EventId == eventId).Status);
        }

        // Proving a negative takes a wait: long enough for a delivery queued again to be attempted (50 ms polls).
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, target.Succeeded.Count(r => IdOf(r) == eventId));
    }

    private static Task<PublishResult> Publish(WebhooksCluster cluster, string tenantId, string marker, string? eventId = null) =>
        TestPublisher.Create(cluster.Grains, TimeProvider.System)
            .PublishAcceptedAsync(tenantId, new WebhookEvent("order.created", "order_1", $$"""{"marker":"{{marker}}"}""", eventId));

    private static string Marker() => "marker-" + Guid.NewGuid().ToString("N");

    private static string? IdOf(ReceivedRequest request) => request.Headers.TryGetValue("webhook-id", out var id) ? id : null;

    private static string Body(ReceivedRequest request) => Encoding.UTF8.GetString(request.Body);

    /// <summary>
    /// Turns the file back into what schema version 4 stored: each delivery row carrying its event's resource id, date
    /// and payload, no events table, the event's id only among the accepted events (with one more id accepted long ago).
    /// </summary>
    private static void DowngradeToVersion4(TestDeployment deployment, string tenantId, string eventId)
    {
        using var database = deployment.OpenDatabase();
        var (resourceId, eventDate, payload) = Single(database, "SELECT ResourceId, EventDate, Payload FROM WebhooksEvents WHERE EventId = $1;",
            r => (r.GetString(0), DateTimeOffset.Parse(r.GetString(1), System.Globalization.CultureInfo.InvariantCulture), r.GetString(2)), eventId);
        foreach (var (listenerId, seq, record) in All(database, "SELECT ListenerId, Seq, Record FROM WebhooksDeliveries;", r => (r.GetString(0), r.GetInt64(1), (byte[])r.GetValue(2))))
        {
            // Version 4 wrote the record as JSON, with the event in it.
            var delivery = DeliveryRowFormat.Deserialize(record);
            (delivery.ResourceId, delivery.EventDate, delivery.Payload) = (resourceId, eventDate, payload);
            var json = JsonSerializer.SerializeToUtf8Bytes(delivery, new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
            Execute(database, "UPDATE WebhooksDeliveries SET Record = $1 WHERE ListenerId = $2 AND Seq = $3;", json, listenerId, seq);
        }

        var serviceId = Single(database, "SELECT ServiceId FROM WebhooksEvents WHERE EventId = $1;", r => r.GetString(0), eventId);
        // Accepted within the events' retention (30 days), or the sweeper would rightly forget the ids.
        var acceptedAt = DateTimeOffset.UtcNow.AddDays(-1).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Execute(database, "INSERT INTO WebhooksAcceptedEvents (ServiceId, TenantId, EventId, Matched, AcceptedAt) VALUES ($1, $2, $3, 1, $4);", serviceId, tenantId, eventId, acceptedAt);
        Execute(database, "INSERT INTO WebhooksAcceptedEvents (ServiceId, TenantId, EventId, Matched, AcceptedAt) VALUES ($1, $2, 'event_accepted_long_ago', 7, $3);", serviceId, tenantId, acceptedAt);
        Execute(database, "DROP INDEX IX_WebhooksDeliveries_EventSeq;");
        Execute(database, "DROP INDEX IX_WebhooksAcceptedEvents_AcceptedAt;");
        Execute(database, "ALTER TABLE WebhooksDeliveries DROP COLUMN RetainedSince;");
        Execute(database, "ALTER TABLE WebhooksDeliveries DROP COLUMN EventSeq;");
        Execute(database, "DROP TABLE WebhooksEvents;");
        Execute(database, "DROP TABLE WebhooksDeliveryJournal;"); // empty: the silo folded it when it stopped
        Execute(database, "DROP TABLE WebhooksEventOutcomes;");
        Execute(database, "PRAGMA user_version = 4;");
    }

    private static T Single<T>(SqliteConnection database, string sql, Func<SqliteDataReader, T> read, params object[] parameters) =>
        Assert.Single(All(database, sql, read, parameters));

    private static List<T> All<T>(SqliteConnection database, string sql, Func<SqliteDataReader, T> read, params object[] parameters)
    {
        using var command = Command(database, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static void Execute(SqliteConnection database, string sql, params object[] parameters)
    {
        using var command = Command(database, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection database, string sql, object[] parameters)
    {
        var command = database.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (i + 1), parameters[i]);
        }

        return command;
    }
}
