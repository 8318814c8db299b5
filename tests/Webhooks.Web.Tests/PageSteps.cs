using System.Net;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>The steps of the seed text, as a user does them: by visible, accessible names.</summary>
internal static class PageSteps
{
    /// <summary>How long a delivery may take to arrive; generous, since CI runs everything on two cores.</summary>
    public static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(30);

    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("Tenant API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>In "Select events": ticks the given codes, then "Save Events".</summary>
    public static async Task SelectEventsAsync(IPage page, params string[] codes)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Select events" });
        await Expect(dialog).ToBeVisibleAsync();
        foreach (var code in codes)
        {
            await dialog.GetByRole(AriaRole.Checkbox, new() { Name = code, Exact = true }).CheckAsync();
        }

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save Events", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
    }

    /// <summary>Adds a webhook through the API and returns its id.</summary>
    public static async Task<string> CreateWebhookAsync(ApiClient api, string uri, params string[] subscriptions)
    {
        var created = await api.SendAsync(HttpMethod.Post, "api/v1/account/webhooks", new { uri, subscriptions }, HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>The list entry (a list item) of the listener with this URI.</summary>
    public static ILocator Entry(IPage page, string uri) =>
        page.GetByRole(AriaRole.List, new() { Name = "Webhooks", Exact = true })
            .GetByRole(AriaRole.Listitem)
            .Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = uri, Exact = true }) });

    /// <summary>Polls until the condition holds, failing after <see cref="DeliveryWait"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(DeliveryWait);
        while (!await condition())
        {
            await Task.Delay(200, deadline.Token);
        }
    }
}
