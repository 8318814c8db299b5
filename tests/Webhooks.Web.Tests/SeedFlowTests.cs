using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using Webhooks.Testing;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>The seed's flows end to end: add, edit, test, the delivery log, secret rotation and delete, in Chromium against the real server and a real listener.</summary>
[Collection(WebCollection.Name)]
public sealed class SeedFlowTests(WebFixture fixture)
{
    [Fact]
    public async Task SeedFlows_AddEditTestDeliverRotateDelete_WorkInTheBrowser()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Page flows");
        using var _ = api;
        var port = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(port);
        var uri = $"http://127.0.0.1:{port}/hook";
        var editedUri = $"{uri}?source=edited";
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;

        // Sign in: paste the tenant key.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("sign-in");
        await browser.ScreenshotAsync("sign-in");
        await PageSteps.SignInAsync(page, api.Key);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" });
        await Expect(menu.GetByRole(AriaRole.Button, new() { Name = "Account" })).ToBeVisibleAsync();
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Webhooks" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByText("No webhooks yet.")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("account-webhooks-empty");

        // Add: "Add Webhook" → URI → select events → "Save Events" → "Save".
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add Webhook", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("URI", new() { Exact = true }).FillAsync(uri);
        await page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true }).ClickAsync();
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = "Select events" });
        await Expect(picker.GetByRole(AriaRole.Group, new() { Name = "Entitlement group" })).ToBeVisibleAsync();
        await Expect(picker.GetByRole(AriaRole.Checkbox, new() { Name = "All events" })).ToBeVisibleAsync();
        await picker.GetByRole(AriaRole.Checkbox, new() { Name = "customer.created", Exact = true }).CheckAsync();
        await Expect(picker.GetByRole(AriaRole.Checkbox, new() { Name = "customer.created", Exact = true }))
            .ToHaveAccessibleDescriptionAsync("A customer was created.");
        await browser.AssertAccessibleAsync("Select events");
        await browser.ScreenshotAsync("select-events");
        await picker.GetByRole(AriaRole.Button, new() { Name = "Save Events", Exact = true }).ClickAsync();
        await Expect(picker).ToBeHiddenAsync();
        await browser.AssertAccessibleAsync("Add Webhook");
        await browser.ScreenshotAsync("add-webhook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        // Listed, with its secret shown once.
        var entry = PageSteps.Entry(page, uri);
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync("customer.created");
        await Expect(entry).ToContainTextAsync("Enabled");
        await Expect(entry).ToContainTextAsync("No deliveries yet");
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Signing secret of the new webhook" })).ToHaveValueAsync(new Regex("^whsec_"));
        await browser.AssertAccessibleAsync("the list");
        await browser.ScreenshotAsync("listed");
        var id = await entry.Locator(".id").InnerTextAsync();

        // Edit: click the entry → edit → change the URI and events → "Save Events" → "Save".
        await page.GetByRole(AriaRole.Link, new() { Name = uri, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = uri, Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "edit", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit webhook" })).ToBeVisibleAsync();
        await page.GetByLabel("URI", new() { Exact = true }).FillAsync(editedUri);
        await PageSteps.SelectEventsAsync(page, "entitlement.created");
        await browser.ScreenshotAsync("edit-webhook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Webhook saved.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = editedUri, Level = 1 })).ToBeVisibleAsync();
        var saved = await api.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{id}", null, HttpStatusCode.OK);
        Assert.Equal(editedUri, saved.GetProperty("uri").GetString());
        Assert.Equal(["customer.created", "entitlement.created"], saved.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetString()).Order());
        await browser.ScreenshotAsync("edited");

        // Test: the button to the right of the listed events → confirm → the listener gets webhook.test, then a copy with a
        // wrong signature; it accepts both, so the page shows the outcome and warns that the endpoint checks no signature.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        entry = PageSteps.Entry(page, editedUri);
        await entry.GetByRole(AriaRole.Button, new() { Name = "Test" }).ClickAsync();
        var confirmTest = page.GetByRole(AriaRole.Dialog, new() { Name = "Send a test event?" });
        await Expect(confirmTest).ToContainTextAsync(id);
        await browser.ScreenshotAsync("test-confirmation");
        await confirmTest.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Expect(entry).ToContainTextAsync("Test event delivered: HTTP 200");
        var warning = entry.GetByRole(AriaRole.Alert).Filter(new() { HasText = "accepts requests that anyone could forge" });
        await Expect(warning).ToBeVisibleAsync();
        await Expect(warning).ToContainTextAsync("docs/receiving.md");
        await listener.WaitForAsync(2, PageSteps.DeliveryWait);
        Assert.Equal(2, listener.Requests.Count);
        Assert.All(listener.Received, test => Assert.Equal("webhook.test", test.GetProperty("eventCode").GetString()));
        Assert.Equal(id, listener.Received[0].GetProperty("resourceId").GetString());
        Assert.Equal("invalid-signature", listener.Requests.Last().Headers["webhook-probe"]);
        await Expect(entry).ToContainTextAsync("Succeeded");
        await browser.AssertAccessibleAsync("the test's outcome and warning");
        await browser.ScreenshotAsync("tested");

        // An event published through the API shows in the entry's delivery log, with its attempt.
        await api.SendAsync(HttpMethod.Post, "api/v1/events",
            new { eventCode = "entitlement.created", resourceId = "ent_42", payload = new { seats = 5 } }, HttpStatusCode.Accepted);
        await listener.WaitForAsync(3, PageSteps.DeliveryWait);
        Assert.Contains(listener.Received, e => e.GetProperty("eventCode").GetString() == "entitlement.created");
        await page.GetByRole(AriaRole.Link, new() { Name = editedUri, Exact = true }).ClickAsync();
        var log = page.GetByRole(AriaRole.List, new() { Name = "Deliveries, newest first" });
        var delivery = log.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "entitlement.created" }).First;
        await Expect(delivery).ToContainTextAsync("Succeeded");
        await Expect(delivery).ToContainTextAsync("HTTP 200");
        await delivery.Locator("summary").ClickAsync();
        await Expect(delivery).ToContainTextAsync("Attempt 1");
        await Expect(log.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "webhook.test" }).First).ToContainTextAsync("Succeeded");
        await browser.AssertAccessibleAsync("the webhook and its delivery log");
        await browser.ScreenshotAsync("delivery-log");

        // Rotate secret: confirm, then the new secret is shown once and copies to the clipboard.
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Rotate the signing secret?" })
            .GetByRole(AriaRole.Button, new() { Name = "Rotate secret", Exact = true }).ClickAsync();
        var secret = page.GetByRole(AriaRole.Textbox, new() { Name = "New signing secret" });
        await Expect(secret).ToHaveValueAsync(new Regex("^whsec_"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy secret" }).ClickAsync();
        await Expect(page.GetByText("Copied to the clipboard.")).ToBeVisibleAsync();
        Assert.Equal(await secret.InputValueAsync(), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await browser.AssertAccessibleAsync("the rotated secret");
        await browser.ScreenshotAsync("secret-rotated");

        // Readable on a phone: nothing wider than 375 px, on the list, the entry and the form.
        await browser.ResizeAsync(BrowserSession.PhoneWidth, 800);
        await browser.AssertNoHorizontalOverflowAsync("the webhook at 375 px");
        await browser.ScreenshotAsync("phone-webhook");
        await menu.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Expect(PageSteps.Entry(page, editedUri)).ToContainTextAsync("Succeeded");
        await browser.AssertNoHorizontalOverflowAsync("the list at 375 px");
        await browser.ScreenshotAsync("phone-list");
        await page.GetByRole(AriaRole.Link, new() { Name = editedUri, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "edit", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true }).ClickAsync();
        await browser.AssertNoHorizontalOverflowAsync("Select events at 375 px");
        await browser.ScreenshotAsync("phone-select-events");
        await page.Keyboard.PressAsync("Escape");
        // The dialog's close event, which gives focus back to "Select events", comes a task later: wait for it, or it
        // can take the focus from the button below between its focus and the key press.
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await browser.ResizeAsync(BrowserSession.DesktopWidth);

        // The three-dots menu works from the keyboard: Enter opens it on "Delete webhook", Escape backs out.
        var more = page.GetByRole(AriaRole.Button, new() { Name = "More actions" });
        await more.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete webhook" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(more).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Menu)).ToBeHiddenAsync();

        // Delete: (entry → edit →) three dots → "Delete webhook" → "Delete".
        await more.ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete webhook" }).ClickAsync();
        var confirmDelete = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this webhook?" });
        await Expect(confirmDelete).ToContainTextAsync(editedUri);
        await browser.AssertAccessibleAsync("the delete confirmation");
        await browser.ScreenshotAsync("delete-confirmation");
        await confirmDelete.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"Webhook deleted: {editedUri}")).ToBeVisibleAsync();
        await Expect(page.GetByText("No webhooks yet.")).ToBeVisibleAsync();
        await api.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{id}", null, HttpStatusCode.NotFound);
        await browser.ScreenshotAsync("deleted");

        browser.AssertNoConsoleErrors();
        browser.AssertEverythingCameFrom(fixture.Server.Address);
    }
}
