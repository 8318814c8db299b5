using System.Net;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>Account › Webhooks, a page at a time.</summary>
[Collection(WebCollection.Name)]
public sealed class ListPagingTests(WebFixture fixture)
{
    [Fact]
    public async Task List_OfMoreThanAPage_PagesThroughEveryWebhook()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Paging");
        using var _ = api;
        for (var i = 1; i <= 21; i++)
        {
            await api.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                new { uri = $"https://example.com/hooks/{i:00}", subscriptions = new[] { "customer.created" } }, HttpStatusCode.Created);
        }

        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await PageSteps.SignInAsync(page, api.Key);
        var entries = page.GetByRole(AriaRole.List, new() { Name = "Webhooks", Exact = true }).Locator(":scope > li");
        await Expect(page.GetByText("Page 1 of 2 · 21 webhooks")).ToBeVisibleAsync();
        await Expect(entries).ToHaveCountAsync(20);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Previous page" })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.GetByText("Page 2 of 2 · 21 webhooks")).ToBeVisibleAsync();
        await Expect(entries).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
        await browser.ResizeAsync(BrowserSession.PhoneWidth, 800);
        await browser.AssertNoHorizontalOverflowAsync("page 2 at 375 px");
        await browser.ScreenshotAsync("page-2-phone");

        await page.GoBackAsync();
        await Expect(page.GetByText("Page 1 of 2 · 21 webhooks")).ToBeVisibleAsync();
        browser.AssertNoConsoleErrors();
    }
}
