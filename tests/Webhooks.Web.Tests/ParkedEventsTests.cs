using System.Net;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using Webhooks.Testing;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>
/// Disabling a webhook by hand on the page, its parked events in the delivery log, and enabling it again: the page
/// asks whether to deliver the N parked events, and cancel, skip and deliver each do what they say.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ParkedEventsTests(WebFixture fixture)
{
    [Fact]
    public async Task DisabledWebhook_ShowsParkedEvents_AndEnablingAsksWhetherToDeliverThem()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Parking");
        using var _ = api;
        var port = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(port);
        var uri = $"http://127.0.0.1:{port}/hook";
        var id = await PageSteps.CreateWebhookAsync(api, uri, "entitlement.renewed");

        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await PageSteps.SignInAsync(page, api.Key);
        await page.GetByRole(AriaRole.Link, new() { Name = uri, Exact = true }).ClickAsync();

        // Disable, by hand, after a confirmation.
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        var confirmDisable = page.GetByRole(AriaRole.Dialog, new() { Name = "Disable this webhook?" });
        await confirmDisable.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await Expect(page.GetByText("This webhook is disabled")).ToBeVisibleAsync();
        await Expect(page.GetByText("It was disabled by hand.")).ToBeVisibleAsync();

        var parked = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var published = await api.SendAsync(HttpMethod.Post, "api/v1/events",
                new { eventCode = "entitlement.renewed", resourceId = $"ent_{i}" }, HttpStatusCode.Accepted);
            Assert.Equal(1, published.GetProperty("matchedWebhooks").GetInt32());
            parked.Add(published.GetProperty("eventId").GetString()!);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh", Exact = true }).ClickAsync();
        var deliveries = page.GetByRole(AriaRole.List, new() { Name = "Deliveries, newest first" });
        var first = deliveries.GetByRole(AriaRole.Listitem).Filter(new() { HasText = parked[0] }).First;
        await Expect(first).ToContainTextAsync("Parked");
        await Expect(first).ToContainTextAsync("parked while the webhook is disabled");
        await page.GetByLabel("Show").SelectOptionAsync("parked");
        await Expect(page.GetByText("Page 1 of 1 · 2 deliveries")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("parked deliveries of a webhook disabled by hand");
        await browser.ScreenshotAsync("parked");

        // Cancel leaves it disabled; Deliver sends both, oldest first.
        var enable = page.GetByRole(AriaRole.Button, new() { Name = "Enable", Exact = true });
        await enable.ClickAsync();
        var ask = page.GetByRole(AriaRole.Dialog, new() { Name = "Enable this webhook?" });
        await Expect(ask).ToContainTextAsync("2 parked events were published while it was disabled");
        await ask.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
        await Expect(ask).ToBeHiddenAsync();
        await Expect(page.GetByText("This webhook is disabled")).ToBeVisibleAsync();
        Assert.Empty(listener.Received);

        await enable.ClickAsync();
        await ask.GetByRole(AriaRole.Button, new() { Name = "Deliver 2 parked events", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Webhook enabled: delivery resumes.")).ToBeVisibleAsync();
        await listener.WaitForAsync(2, PageSteps.DeliveryWait);
        Assert.Equal(parked.Order(StringComparer.Ordinal), listener.Received.Select(r => r.GetProperty("eventId").GetString()!).Order(StringComparer.Ordinal));

        // Disabled again, and enabled skipping what was parked: the log says so and nothing is sent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await confirmDisable.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await Expect(page.GetByText("This webhook is disabled")).ToBeVisibleAsync();
        var skipped = (await api.SendAsync(HttpMethod.Post, "api/v1/events",
            new { eventCode = "entitlement.renewed", resourceId = "ent_skipped" }, HttpStatusCode.Accepted)).GetProperty("eventId").GetString()!;
        await enable.ClickAsync();
        await Expect(ask).ToContainTextAsync("1 parked event was published");
        await ask.GetByRole(AriaRole.Button, new() { Name = "Skip them", Exact = true }).ClickAsync();
        await Expect(page.GetByText("the 1 parked event was skipped")).ToBeVisibleAsync();
        await page.GetByLabel("Show").SelectOptionAsync("skipped");
        var skippedItem = deliveries.GetByRole(AriaRole.Listitem).Filter(new() { HasText = skipped }).First;
        await Expect(skippedItem).ToContainTextAsync("Skipped");
        await Expect(skippedItem).ToContainTextAsync("skipped when the webhook was enabled");
        await browser.ScreenshotAsync("skipped");
        Assert.Equal(2, listener.Received.Count);
        var status = await api.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{id}", null, HttpStatusCode.OK);
        Assert.True(status.GetProperty("enabled").GetBoolean());

        browser.AssertNoConsoleErrors();
    }
}
