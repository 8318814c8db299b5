using System.Net;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using Webhooks.Testing;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>What a failing listener looks like on the page, and how Enable and Redeliver recover it.</summary>
[Collection(WebCollection.Name)]
public sealed class DeliveryFailureTests(WebFixture fixture)
{
    [Fact]
    public async Task FailingListener_ShowsFailedDeliveryAndDisabledState_ThenEnableAndRedeliverRecoverIt()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Failures");
        using var _ = api;
        var port = FreePort.Next();
        var uri = $"http://127.0.0.1:{port}/hook";
        var id = await PageSteps.CreateWebhookAsync(api, uri, "entitlement.renewed");

        // Nobody listens on the port: both attempts fail and, failing for over a second, the listener is disabled.
        var published = await api.SendAsync(HttpMethod.Post, "api/v1/events",
            new { eventCode = "entitlement.renewed", resourceId = "ent_7" }, HttpStatusCode.Accepted);
        var eventId = published.GetProperty("eventId").GetString()!;

        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await PageSteps.SignInAsync(page, api.Key);
        var entry = PageSteps.Entry(page, uri);
        await Expect(entry).ToBeVisibleAsync();
        await PageSteps.WaitUntilAsync(async () =>
        {
            var listener = await api.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{id}", null, HttpStatusCode.OK);
            return !listener.GetProperty("enabled").GetBoolean();
        });
        await page.ReloadAsync();
        await Expect(entry).ToContainTextAsync("Disabled");
        await Expect(entry).ToContainTextAsync("Failed");
        await browser.ScreenshotAsync("list-with-failure");

        await page.GetByRole(AriaRole.Link, new() { Name = uri, Exact = true }).ClickAsync();
        await Expect(page.GetByText("This webhook is disabled")).ToBeVisibleAsync();
        await Expect(page.GetByText("Disabled automatically")).ToBeVisibleAsync();
        var delivery = page.GetByRole(AriaRole.List, new() { Name = "Deliveries, newest first" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = eventId }).First;
        await Expect(delivery).ToContainTextAsync("Failed");
        await Expect(delivery).ToContainTextAsync("2 attempts");
        await Expect(delivery).ToContainTextAsync("No response");
        await delivery.Locator("summary").ClickAsync();
        await Expect(delivery).ToContainTextAsync("Attempt 2");
        var stats = page.GetByRole(AriaRole.Region, new() { Name = "Delivery stats" });
        var lastHour = stats.GetByRole(AriaRole.Row, new() { Name = "Last hour" });
        await Expect(lastHour.GetByRole(AriaRole.Cell).Nth(0)).ToHaveTextAsync("2");
        await Expect(lastHour.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("0.0 %");
        await Expect(stats).ToContainTextAsync(eventId); // its last error names the event
        await browser.AssertAccessibleAsync("a failed delivery and a disabled webhook");
        await browser.ScreenshotAsync("failed-and-disabled");

        // The listener comes up; "Enable" then "Redeliver" gets the event to it.
        await using var recovered = await TestReceiver.StartAsync(port);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Webhook enabled: delivery resumes.")).ToBeVisibleAsync();
        await Expect(page.GetByText("This webhook is disabled")).ToBeHiddenAsync();
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await recovered.WaitForAsync(1, PageSteps.DeliveryWait);
        var received = Assert.Single(recovered.Received);
        Assert.Equal(eventId, received.GetProperty("eventId").GetString());
        await Expect(delivery).ToContainTextAsync("Succeeded");
        await Expect(delivery).ToContainTextAsync("HTTP 200");
        await browser.ScreenshotAsync("enabled-and-redelivered");

        browser.AssertNoConsoleErrors();
    }
}
