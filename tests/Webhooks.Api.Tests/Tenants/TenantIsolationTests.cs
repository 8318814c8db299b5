using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Tenants;

/// <summary>A tenant's key never reaches another tenant's listeners, even knowing their ids.</summary>
public sealed class TenantIsolationTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task Get_OfAnotherTenantsListener_Returns404()
    {
        var (a, _, bListener) = await TwoTenantsAsync();

        using var response = await a.Client.GetAsync($"{Route}/{bListener}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Update_OfAnotherTenantsListener_Returns404AndLeavesItUnchanged()
    {
        var (a, b, bListener) = await TwoTenantsAsync();
        var before = await b.Client.GetListenerAsync(bListener);

        using var response = await a.Client.PutAsync($"{Route}/{bListener}", Body("https://attacker.example.com/steal", "*"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        var after = await b.Client.GetListenerAsync(bListener);
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal(0, (await a.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task Delete_OfAnotherTenantsListener_Returns404AndLeavesItInPlace()
    {
        var (a, b, bListener) = await TwoTenantsAsync();
        var before = await b.Client.SnapshotAsync();

        using var response = await a.Client.DeleteAsync($"{Route}/{bListener}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(before, await b.Client.SnapshotAsync());
        Assert.Equal(bListener, (await b.Client.GetListenerAsync(bListener)).String("id"));
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersOwnListeners()
    {
        var (a, b, bListener) = await TwoTenantsAsync();
        var aListener = (await a.Client.CreateListenerAsync()).String("id");

        var aPage = await a.Client.ListAsync("?pageSize=100");
        var bPage = await b.Client.ListAsync("?pageSize=100");

        Assert.Equal([aListener], aPage.Ids());
        Assert.Equal(1, aPage.Int("elementsTotal"));
        Assert.Equal([bListener], bPage.Ids());
        Assert.DoesNotContain(bListener, aPage.Ids());
    }

    [Fact]
    public async Task PlatformKey_NamingOneTenant_CannotReachAnotherTenantsListener()
    {
        var (a, b, bListener) = await TwoTenantsAsync();
        using var platformAsA = Server.CreateClient(ApiServer.PlatformKey, a.Id);

        using var get = await platformAsA.GetAsync($"{Route}/{bListener}");
        using var delete = await platformAsA.DeleteAsync($"{Route}/{bListener}");

        await Problems.AssertProblemAsync(get, HttpStatusCode.NotFound, "NotFound");
        await Problems.AssertProblemAsync(delete, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal([bListener], (await b.Client.ListAsync()).Ids());
    }

    private async Task<(TestTenant A, TestTenant B, string BListener)> TwoTenantsAsync()
    {
        var a = await Server.CreateTenantAsync("Tenant A");
        var b = await Server.CreateTenantAsync("Tenant B");
        var bListener = (await b.Client.CreateListenerAsync("https://hooks.example.com/b", "entitlement.created")).String("id");
        return (a, b, bListener);
    }
}
