namespace Webhooks.Listeners;

/// <summary>One webhook listener, keyed by its <c>wh_…</c> id: its URI, event filter and delivery state.</summary>
public interface IWebhookGrain : IGrainWithStringKey
{
    /// <summary>The listener, or null when it does not exist (never created, or deleted).</summary>
    [ReadOnly]
    Task<WebhookView?> GetAsync();

    /// <summary>Applies a change issued by the tenant's router; not applied when the router already fenced it off.</summary>
    Task<ListenerResolution> ApplyAsync(ListenerChange change);

    /// <summary>Reports whether <paramref name="operationId"/> took effect and, when it did not, fences it so it never will.</summary>
    Task<ListenerResolution> ResolveAsync(Guid operationId);
}
