using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Listeners;

/// <summary>The compatible paged list: <c>{items, pageSize, pageNumber, elementsTotal}</c>, 1-based, in creation order.</summary>
public sealed class ListWebhooksTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    private const int ListenerCount = 25;

    [Fact]
    public async Task List_OfNewTenant_IsEmpty()
    {
        var tenant = await Server.CreateTenantAsync();

        var page = await tenant.Client.ListAsync();

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(0, page.Int("elementsTotal"));
        Assert.Equal(1, page.Int("pageNumber"));
    }

    [Fact]
    public async Task List_InPagesOf10_ReturnsFullPagesThenALastPartialPageInCreationOrder()
    {
        var (tenant, created) = await TenantWithListenersAsync();

        var pages = new[]
        {
            await tenant.Client.ListAsync("?pageNumber=1&pageSize=10"),
            await tenant.Client.ListAsync("?pageNumber=2&pageSize=10"),
            await tenant.Client.ListAsync("?pageNumber=3&pageSize=10"),
        };

        for (var i = 0; i < pages.Length; i++)
        {
            Assert.Equal(i + 1, pages[i].Int("pageNumber"));
            Assert.Equal(10, pages[i].Int("pageSize"));
            Assert.Equal(ListenerCount, pages[i].Int("elementsTotal"));
        }

        Assert.Equal(created[..10], pages[0].Ids());
        Assert.Equal(created[10..20], pages[1].Ids());
        Assert.Equal(created[20..], pages[2].Ids());
    }

    [Fact]
    public async Task List_Items_CarryTheWebhookModel()
    {
        var (tenant, created) = await TenantWithListenersAsync();

        var first = (await tenant.Client.ListAsync("?pageNumber=1&pageSize=1")).GetProperty("items").EnumerateArray().Single();

        Assert.Equal(created[0], first.String("id"));
        Assert.Equal("https://hooks.example.com/0", first.String("uri"));
        Assert.Equal(["entitlement.created"], first.GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task List_PagePastTheEnd_ReturnsNoItemsAndTheTotal()
    {
        var (tenant, _) = await TenantWithListenersAsync();

        var page = await tenant.Client.ListAsync("?pageNumber=4&pageSize=10");

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(ListenerCount, page.Int("elementsTotal"));
        Assert.Equal(4, page.Int("pageNumber"));
        Assert.Equal(10, page.Int("pageSize"));
    }

    [Fact]
    public async Task List_WithoutPaging_ReturnsTheFirst20()
    {
        var (tenant, created) = await TenantWithListenersAsync();

        var page = await tenant.Client.ListAsync();

        Assert.Equal(1, page.Int("pageNumber"));
        Assert.Equal(20, page.Int("pageSize"));
        Assert.Equal(created[..20], page.Ids());
        Assert.Equal(ListenerCount, page.Int("elementsTotal"));
    }

    [Fact]
    public async Task List_WithPageSize100_ReturnsEveryListener()
    {
        var (tenant, created) = await TenantWithListenersAsync();

        var page = await tenant.Client.ListAsync("?pageNumber=1&pageSize=100");

        Assert.Equal(created, page.Ids());
        Assert.Equal(100, page.Int("pageSize"));
    }

    [Fact]
    public async Task List_WhenPageBoundaryFallsOnTheLastItem_HasNoPartialPage()
    {
        var (tenant, created) = await TenantWithListenersAsync();

        var last = await tenant.Client.ListAsync("?pageNumber=5&pageSize=5");
        var beyond = await tenant.Client.ListAsync("?pageNumber=6&pageSize=5");

        Assert.Equal(created[20..], last.Ids());
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
        Assert.Equal(ListenerCount, beyond.Int("elementsTotal"));
    }

    [Fact]
    public async Task List_AfterDeletingFromTheMiddle_ClosesTheGap()
    {
        var (tenant, created) = await TenantWithListenersAsync();
        using var delete = await tenant.Client.DeleteAsync($"{Route}/{created[5]}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var page = await tenant.Client.ListAsync("?pageNumber=1&pageSize=10");

        Assert.Equal([.. created[..5], .. created[6..11]], page.Ids());
        Assert.Equal(ListenerCount - 1, page.Int("elementsTotal"));
    }

    [Theory]
    [InlineData("?pageNumber=2147483647&pageSize=20")]
    [InlineData("?pageNumber=21474838&pageSize=100")]
    public async Task List_OfAPageWhoseOffsetOverflowsAnInt_IsEmpty(string query)
    {
        var tenant = await Server.CreateTenantAsync();
        await tenant.Client.CreateListenerAsync();

        var page = await tenant.Client.ListAsync(query);

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(1, page.Int("elementsTotal"));
    }

    private async Task<(TestTenant Tenant, string[] Created)> TenantWithListenersAsync()
    {
        var tenant = await Server.CreateTenantAsync();
        var ids = new string[ListenerCount];
        for (var i = 0; i < ListenerCount; i++)
        {
            ids[i] = (await tenant.Client.CreateListenerAsync($"https://hooks.example.com/{i}", "entitlement.created")).String("id");
        }

        return (tenant, ids);
    }
}
