using System.Net;
using System.Text.Json;
using Npgsql;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Publishing;

/// <summary>
/// The events feed on PostgreSQL, where a sequence value is taken before its transaction commits: an event whose
/// transaction is still open is not skipped by a reader who has moved past a later one. Each test holds inserting
/// transactions open on a connection of its own, as a publish in flight on another silo would.
/// </summary>
public sealed class PostgreSqlEventFeedTests(PostgreSqlApiServer server) : ApiTest(server), IClassFixture<PostgreSqlApiServer>
{
    private const string Route = "api/v1/events";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private PostgreSqlApiServer Postgres => (PostgreSqlApiServer)Server;

    [Fact]
    public async Task AnEventCommittedLate_WithAnEarlierSequence_IsNotSkipped()
    {
        var tenant = await Server.CreateTenantAsync("Late commit");
        var first = (await tenant.Client.PublishAsync("entitlement.created", "ent_first")).EventId;
        var start = Cursor(await WaitForAsync(tenant.Client, "", first));

        // A publish in flight elsewhere: its row holds the next sequence value, uncommitted.
        await using var held = await OpenAsync();
        await using var transaction = await held.BeginTransactionAsync();
        var heldSeq = await InsertEventAsync(held, transaction, tenant.Id, "event_held");

        // Published, committed and answered 202 after it; its sequence value is the larger.
        var later = (await tenant.Client.PublishAsync("entitlement.created", "ent_later")).EventId;
        Assert.True(await SeqOfAsync(later) > heldSeq);

        // Nothing past the open transaction is served: a reader who took the later event now would never see the held one.
        var whileHeld = await FeedAsync(tenant.Client, $"?after={start}");
        Assert.Empty(Items(whileHeld));
        Assert.False(whileHeld.TryGetProperty("next", out _));

        await transaction.CommitAsync();
        var afterCommit = await WaitForAsync(tenant.Client, $"?after={start}", later);
        Assert.Equal(["event_held", later], Items(afterCommit).Select(e => e.String("eventId")));
    }

    [Fact]
    public async Task AnEventWhoseTransactionStartedLater_ButTookAnEarlierSequence_IsServedAfterTheOneAlreadyRead()
    {
        var tenant = await Server.CreateTenantAsync("Crossed order");
        var first = (await tenant.Client.PublishAsync("entitlement.created", "ent_first")).EventId;
        var start = Cursor(await WaitForAsync(tenant.Client, "", first));

        // U gets its transaction id first; T gets a later id but the smaller sequence value, and stays open while U
        // commits. By sequence alone U's event would be served now and T's, committed afterwards below it, skipped.
        await using var u = await OpenAsync();
        await using var uTransaction = await u.BeginTransactionAsync();
        await using (var id = new NpgsqlCommand("SELECT pg_current_xact_id();", u, uTransaction))
        {
            await id.ExecuteScalarAsync();
        }

        await using var t = await OpenAsync();
        await using var tTransaction = await t.BeginTransactionAsync();
        var tSeq = await InsertEventAsync(t, tTransaction, tenant.Id, "event_t");
        var uSeq = await InsertEventAsync(u, uTransaction, tenant.Id, "event_u");
        Assert.True(uSeq > tSeq);
        await uTransaction.CommitAsync();

        var read = await WaitForAsync(tenant.Client, $"?after={start}", "event_u");
        Assert.Equal(["event_u"], Items(read).Select(e => e.String("eventId")));
        var cursor = Cursor(read);

        await tTransaction.CommitAsync();
        var resumed = await WaitForAsync(tenant.Client, $"?after={cursor}", "event_t");
        Assert.Equal(["event_t"], Items(resumed).Select(e => e.String("eventId")));
    }

    [Fact]
    public async Task Feed_AndEventDetails_ServeWhatWasPublished()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var tenant = await Server.CreateTenantAsync("Plain feed");
        var listenerId = (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await tenant.Client.PublishAsync("entitlement.created", $"ent_{i}", new { n = i })).EventId);
        }

        var page = await WaitForAsync(tenant.Client, "?limit=2", ids[1]);
        var rest = await WaitForAsync(tenant.Client, $"?after={page.String("next")}", ids[2]);
        Assert.Equal(ids, Items(page).Concat(Items(rest)).Select(e => e.String("eventId")));
        Assert.Equal(2, Items(rest)[0].GetProperty("payload").GetProperty("n").GetInt32());

        await tenant.Client.WaitForStatusAsync(listenerId, ids[0], "succeeded");
        using var response = await tenant.Client.GetAsync($"{Route}/{ids[0]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var details = await Json.ReadObjectAsync(response);
        var delivery = Assert.Single(details.GetProperty("deliveries").EnumerateArray());
        Assert.Equal((listenerId, "succeeded", 1), (delivery.String("webhookListenerId"), delivery.String("status"), delivery.Int("attempts")));
        Assert.Equal(Items(page)[0].String("cursor"), details.String("cursor"));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Inserts an event row as a publish does, in <paramref name="transaction"/>; returns its sequence value.</summary>
    private static async Task<long> InsertEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, string eventId)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO webhooksevents (serviceid, tenantid, eventid, eventcode, resourceid, eventdate, acceptedat, payload)
            SELECT serviceid, $1, $2, 'entitlement.created', 'ent_raw', now(), now(), '{}' FROM webhooksevents LIMIT 1
            RETURNING seq;
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> SeqOfAsync(string eventId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT seq FROM webhooksevents WHERE eventid = $1;", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Reads the feed until <paramref name="eventId"/> is on the page. The server's own short transactions (membership,
    /// reminders, grain state) may hold the horizon back for a moment, as they do for every reader.
    /// </summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient client, string query, string eventId)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var page = await FeedAsync(client, query);
            if (Items(page).Any(e => e.String("eventId") == eventId))
            {
                return page;
            }

            Assert.False(deadline.IsCancellationRequested, $"{eventId} never appeared in the feed ({query}): {page.GetRawText()}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    private static async Task<JsonElement> FeedAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(Route + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadObjectAsync(response);
    }

    private static JsonElement[] Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    /// <summary>The cursor of the page's last event.</summary>
    private static string Cursor(JsonElement page) => Items(page)[^1].String("cursor");
}
