using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// A listener's own <c>headers</c>: every request carries them in clear beside the dispatcher's own, the API shows
/// them back masked, a masked value written back keeps the stored one, and no value is ever stored in clear.
/// </summary>
public sealed class ListenerHeadersTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    private const string Token = "Bearer gateway-token-4c1d-77f3a9";

    [Fact]
    public async Task Headers_AreSentInClear_ShownMasked_AndKeptWhenWrittenBackMasked()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Headers");
        var uri = endpoint.Uri.ToString();

        using var created = await tenant.Client.PostAsync(Route, Json.Raw(JsonSerializer.Serialize(new
        {
            uri,
            subscriptions = new[] { "*" },
            headers = new Dictionary<string, string> { ["Authorization"] = Token, ["X-Team"] = "billing" },
        })));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json.ReadObjectAsync(created);
        var id = body.String("id");
        Assert.Equal("***f3a9", body.GetProperty("headers").String("Authorization"));
        Assert.Equal("***", body.GetProperty("headers").String("X-Team")); // short: masked whole

        var first = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        Assert.Equal(Token, first.Headers["Authorization"]);
        Assert.Equal("billing", first.Headers["X-Team"]);
        Assert.NotNull(first.Headers["N-Signature"]); // beside the dispatcher's own headers, not instead of them
        Assert.NotNull(first.Headers["webhook-signature"]);

        // What a client reads, written back as it is: the masks keep the stored values.
        var shown = await tenant.Client.GetListenerAsync(id);
        Assert.Equal("***f3a9", shown.GetProperty("headers").String("Authorization"));
        using (var rewritten = await tenant.Client.PutAsync($"{Route}/{id}", Json.Raw(shown.GetRawText())))
        {
            Assert.Equal(HttpStatusCode.NoContent, rewritten.StatusCode);
        }

        var second = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        Assert.Equal(Token, second.Headers["Authorization"]);
        Assert.Equal("billing", second.Headers["X-Team"]);

        // A new value replaces the stored one; an update without the field drops them, like every field.
        using (var replaced = await tenant.Client.PutAsync($"{Route}/{id}", Json.Raw(JsonSerializer.Serialize(new
        {
            uri,
            subscriptions = new[] { "*" },
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer rotated-token-0001" },
        }))))
        {
            Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        }

        var third = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        Assert.Equal("Bearer rotated-token-0001", third.Headers["Authorization"]);
        Assert.False(third.Headers.ContainsKey("X-Team"));

        using (var dropped = await tenant.Client.PutAsync($"{Route}/{id}", Body(uri, "*")))
        {
            Assert.Equal(HttpStatusCode.NoContent, dropped.StatusCode);
        }

        Assert.Equal(JsonValueKind.Null, (await tenant.Client.GetListenerAsync(id)).GetProperty("headers").ValueKind);
        var fourth = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        Assert.False(fourth.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task HeaderValues_AreNeverStoredInClear()
    {
        const string Secret = "Bearer at-rest-probe-9d8e7f6a5b4c";
        var tenant = await Server.CreateTenantAsync("AtRest");

        using var created = await tenant.Client.PostAsync(Route, Json.Raw(JsonSerializer.Serialize(new
        {
            uri = "https://hooks.example.com/at-rest",
            subscriptions = new[] { "*" },
            headers = new Dictionary<string, string> { ["Authorization"] = Secret },
        })));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Json.ReadObjectAsync(created)).String("id");

        // Every row of every table, the listener's state and the router's stored intent among them, read as text.
        var probe = Encoding.UTF8.GetBytes("at-rest-probe");
        var rows = await ReadEveryValueAsync();
        Assert.Contains(rows, row => row.Contains(id, StringComparison.Ordinal)); // the listener is there to look at
        Assert.DoesNotContain(rows, row => row.Contains("at-rest-probe", StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Server.DatabasePath)!))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(probe) < 0, $"{Path.GetFileName(file)} holds the header's value in clear");
        }
    }

    private async Task<List<string>> ReadEveryValueAsync()
    {
        var rows = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={Server.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    rows.Add(reader.GetValue(i) switch
                    {
                        byte[] blob => Encoding.UTF8.GetString(blob),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    });
                }
            }
        }

        return rows;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }
}
