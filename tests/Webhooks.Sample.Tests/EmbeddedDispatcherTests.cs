using System.Net;
using System.Text.Json;
using Webhooks.Server.Tests;
using Webhooks.Testing;

namespace Webhooks.Sample.Tests;

/// <summary>
/// The sample licensing platform embeds the dispatcher in its own silo and app. Its own grain, storage and reminder are
/// left alone by the dispatcher, its changes reach the listener signed, and a crash between its state write and its
/// publish, followed by a restart and a retry, delivers each change once: on SQLite and on PostgreSQL.
/// </summary>
public sealed class EmbeddedDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(StorageMode.Sqlite)]
    [InlineData(StorageMode.PostgreSql)]
    public async Task PlatformGrainChanges_AreDeliveredSigned_WhileTheHostsOwnStateAndReminderAreLeftAlone(StorageMode mode)
    {
        using var sample = await SamplePlatform.CreateAsync(mode);
        var listenerPort = FreePort.Next();
        await using var listener = await RecordingListener.StartAsync(listenerPort);
        await using var platform = await sample.StartAsync();
        using var customer = new PlatformClient(platform.Address, new CookieContainer());
        await customer.SignUpAsync("Acme Licensing");
        var (listenerId, secret) = await customer.AddListenerAsync(new Uri($"http://127.0.0.1:{listenerPort}/hook"), "entitlement.created", "entitlement.updated");
        var (modulus, exponent) = await customer.CredentialsAsync();

        await customer.SetSeatsAsync("ent_a", 5);
        var changed = await customer.SetSeatsAsync("ent_a", 7);
        Assert.Equal(2, changed.GetProperty("version").GetInt64());
        Assert.Equal(2, changed.GetProperty("publishedVersion").GetInt64());

        await listener.WaitForAsync(2, Patience);
        var signed = listener.Signed.ToList();
        Assert.Equal(["entitlement.ent_a:v1", "entitlement.ent_a:v2"], signed.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(signed, d =>
        {
            Assert.True(d.HasValidWebhookSignature(secret), $"webhook-signature of {d.Id}");
            Assert.True(d.HasValidNSignature(modulus, exponent), $"N-Signature of {d.Id}");
        });
        var bodies = signed.ToDictionary(d => d.Id, d => JsonDocument.Parse(d.Body).RootElement);
        Assert.Equal("entitlement.created", bodies["entitlement.ent_a:v1"].GetProperty("eventCode").GetString());
        Assert.Equal("entitlement.updated", bodies["entitlement.ent_a:v2"].GetProperty("eventCode").GetString());
        Assert.Equal(7, bodies["entitlement.ent_a:v2"].GetProperty("payload").GetProperty("seats").GetInt32());

        // The host's own reminder, in the host's own reminder service, keeps firing beside the dispatcher.
        var checkedTwice = await Poll.UntilAsync(() => customer.GetEntitlementAsync("ent_a"), e => e.GetProperty("renewalChecks").GetInt32() >= 2, Patience);
        Assert.True(checkedTwice.GetProperty("renewalChecks").GetInt32() >= 2, $"the renewal check ran too few times: {checkedTwice}");
        Assert.Equal(7, checkedTwice.GetProperty("seats").GetInt32());
        Assert.Equal(2, checkedTwice.GetProperty("version").GetInt64());

        // The host's grain state is in the host's storage, as the host wrote it, and only there; the dispatcher's
        // state stays in its own database, and none of the host's state is in it.
        var stored = Directory.GetFiles(sample.StateFolder).Select(Path.GetFileName).ToList();
        Assert.All(stored, f => Assert.True(f!.StartsWith("customer%2F", StringComparison.Ordinal) || f.StartsWith("entitlement%2F", StringComparison.Ordinal), f));
        var entitlementFile = JsonDocument.Parse(await File.ReadAllTextAsync(Directory.GetFiles(sample.StateFolder, "entitlement*").Single())).RootElement.GetProperty("state");
        Assert.Equal(7, entitlementFile.GetProperty("seats").GetInt32());
        Assert.Equal(2, entitlementFile.GetProperty("publishedVersion").GetInt64());
        var tables = await sample.ReadWebhooksTablesAsync();
        Assert.Empty(EveryTable.RowsHolding(tables, ["renewalChecks", "passwordHash", "entitlement/", "customer/"]));
        Assert.NotEmpty(EveryTable.RowsHolding(tables, [listenerId])); // the read did see the dispatcher's own data
    }
}
