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
        await using var listener = await TestReceiver.StartAsync(listenerPort);
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

    [Fact]
    public async Task PlatformSession_GuardsTheHostsEndpointsAndTheMountedApi_PerCustomer()
    {
        using var sample = await SamplePlatform.CreateAsync(StorageMode.Sqlite);
        await using var platform = await sample.StartAsync();
        using var anonymous = new PlatformClient(platform.Address, new CookieContainer());
        using var acme = new PlatformClient(platform.Address, new CookieContainer());
        using var globex = new PlatformClient(platform.Address, new CookieContainer());
        var acmeTenant = await acme.SignUpAsync("Acme");
        var globexTenant = await globex.SignUpAsync("Globex");
        Assert.NotEqual(acmeTenant, globexTenant);
        var (acmeListener, _) = await acme.AddListenerAsync(new Uri("http://127.0.0.1:9/hook"), "entitlement.created");
        await acme.SetSeatsAsync("ent_shared_name", 3);

        // No session: the platform's cookie scheme refuses, with a status and no redirect to a login page.
        await anonymous.SendAsync(HttpMethod.Get, "entitlements/ent_shared_name", null, HttpStatusCode.Unauthorized);
        await anonymous.SendAsync(HttpMethod.Get, PlatformClient.WebhooksPrefix + "account/webhooks", null, HttpStatusCode.Unauthorized);

        // Another customer: its own entitlement of that id does not exist, and the mounted API acts for its own tenant only.
        await globex.SendAsync(HttpMethod.Get, "entitlements/ent_shared_name", null, HttpStatusCode.NotFound);
        await globex.SendAsync(HttpMethod.Get, PlatformClient.WebhooksPrefix + $"account/webhooks/{acmeListener}", null, HttpStatusCode.NotFound);
        var listed = await globex.SendAsync(HttpMethod.Get, PlatformClient.WebhooksPrefix + "account/webhooks", null, HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("elementsTotal").GetInt32());

        // Tenants are the platform's to create, in-process: no customer reaches the tenant endpoints, and nothing of the
        // dispatcher's API is mapped outside the prefix.
        await acme.SendAsync(HttpMethod.Post, PlatformClient.WebhooksPrefix + "tenants", new { name = "Mine" }, HttpStatusCode.Forbidden);
        await acme.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.NotFound);
        await acme.SendAsync(HttpMethod.Get, PlatformClient.WebhooksPrefix + $"account/webhooks/{acmeListener}", null, HttpStatusCode.OK);

        // The platform's own requests are validated before its grains see them.
        await acme.SendAsync(HttpMethod.Put, "entitlements/ent_shared_name/seats", new { seats = 0 }, HttpStatusCode.BadRequest);
        await acme.SendAsync(HttpMethod.Put, "entitlements/not.an.id/seats", new { seats = 1 }, HttpStatusCode.BadRequest);
        await anonymous.SendAsync(HttpMethod.Post, "customers", new { name = "Short", password = "short" }, HttpStatusCode.BadRequest);
        Assert.Equal(3, (await acme.GetEntitlementAsync("ent_shared_name")).GetProperty("seats").GetInt32());
    }

    // AfterStateWrite: the new version is stored, its webhook not published. AfterPublish: the webhook is accepted (and
    // maybe on the wire), the entitlement has not recorded it. Either way the grain still has it pending after the restart.
    [Theory]
    [InlineData(StorageMode.Sqlite, "AfterStateWrite")]
    [InlineData(StorageMode.PostgreSql, "AfterStateWrite")]
    [InlineData(StorageMode.Sqlite, "AfterPublish")]
    [InlineData(StorageMode.PostgreSql, "AfterPublish")]
    public async Task PlatformKilledMidChange_RestartAndRetryDeliverEachChangeOnce(StorageMode mode, string crashAt)
    {
        using var sample = await SamplePlatform.CreateAsync(mode);
        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        var cookies = new CookieContainer();
        string listenerId;
        await using (var first = await sample.StartAsync())
        {
            using var customer = new PlatformClient(first.Address, cookies);
            await customer.SignUpAsync("Crash Licensing");
            (listenerId, _) = await customer.AddListenerAsync(new Uri($"http://127.0.0.1:{listenerPort}/hook"), "entitlement.created", "entitlement.updated");
            await customer.SetSeatsAsync("ent_c", 5);

            // Stopped only once the first change is delivered on record, so nothing of it is left on the wire.
            await Poll.UntilAsync(() => customer.DeliveriesAsync(listenerId), log => log is [(_, "succeeded")], Patience);
            await first.StopAsync();
        }

        // The test hook kills the process during version 2's change, at crashAt.
        await using (var crashing = await sample.StartAsync(crashAt))
        {
            using var customer = new PlatformClient(crashing.Address, cookies);
            await Assert.ThrowsAsync<HttpRequestException>(() => customer.SetSeatsAsync("ent_c", 6));
            Assert.True(await Poll.UntilAsync(() => Task.FromResult(crashing.HasExited), exited => exited, Patience), "the request failed, but the process lives");
        }

        await using var restarted = await sample.StartAsync();
        using (var customer = new PlatformClient(restarted.Address, cookies))
        {
            var afterCrash = await customer.GetEntitlementAsync("ent_c");
            Assert.Equal(2, afterCrash.GetProperty("version").GetInt64());
            Assert.Equal(6, afterCrash.GetProperty("seats").GetInt32());
            Assert.Equal(1, afterCrash.GetProperty("publishedVersion").GetInt64());
            var checksBefore = afterCrash.GetProperty("renewalChecks").GetInt32();

            // The customer retries the request that failed: the pending version is published, and no new one is made.
            var retried = await customer.SetSeatsAsync("ent_c", 6);
            Assert.Equal(2, retried.GetProperty("version").GetInt64());
            Assert.Equal(2, retried.GetProperty("publishedVersion").GetInt64());
            await customer.SetSeatsAsync("ent_c", 8);

            string[] expected = ["entitlement.ent_c:v1", "entitlement.ent_c:v2", "entitlement.ent_c:v3"];
            var log = await Poll.UntilAsync(() => customer.DeliveriesAsync(listenerId), l => l.Count == 3 && l.All(d => d.Status == "succeeded"), Patience);
            Assert.Equal(expected, log.Select(d => d.EventId).Order(StringComparer.Ordinal));
            Assert.All(log, d => Assert.Equal("succeeded", d.Status));

            // Every delivery the dispatcher recorded has succeeded and none is pending, so none can arrive later: the
            // listener saw each change under one webhook-id. Killed after the publish, version 2's attempt may have been on
            // the wire; the dispatcher sends it again after the restart (at-least-once), under the same id.
            Assert.Equal(expected, listener.Signed.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
            var sends = listener.Signed.CountBy(d => d.Id).ToDictionary();
            Assert.Equal(1, sends[expected[0]]);
            Assert.InRange(sends[expected[1]], 1, crashAt == "AfterPublish" ? 2 : 1);
            Assert.Equal(1, sends[expected[2]]);
            Assert.All(listener.Signed.Where(d => d.Id == expected[1]),
                d => Assert.Equal(6, JsonDocument.Parse(d.Body).RootElement.GetProperty("payload").GetProperty("seats").GetInt32()));

            // The host's own reminder came back with its grain and fires again after the crash.
            var later = await Poll.UntilAsync(() => customer.GetEntitlementAsync("ent_c"), e => e.GetProperty("renewalChecks").GetInt32() >= checksBefore + 2, Patience);
            Assert.True(later.GetProperty("renewalChecks").GetInt32() >= checksBefore + 2, $"the renewal check did not run again after the restart: {later}");
            Assert.Equal(8, later.GetProperty("seats").GetInt32());
            Assert.Equal(3, later.GetProperty("publishedVersion").GetInt64());
        }
    }
}
