using Webhooks.Storage;

namespace Webhooks.Listeners;

/// <summary>
/// One listener. Its definition only ever changes through <see cref="ApplyAsync"/>, called by the tenant's
/// router, which keeps the routing index in step (see <c>EventRouterGrain</c> for the protocol).
/// </summary>
public sealed class WebhookGrain(
    [PersistentState("listener", WebhookStorage.ProviderName)] IPersistentState<ListenerState> listener,
    TimeProvider time) : Grain, IWebhookGrain
{
    // Enough to cover every operation a crashed router could still have in flight.
    private const int FencesKept = 16;

    private ListenerState State => listener.State;

    public Task<WebhookView?> GetAsync() => Task.FromResult(View());

    public async Task<ListenerResolution> ApplyAsync(ListenerChange change)
    {
        if (State.LastOperationId == change.OperationId)
        {
            return new ListenerResolution(true, View());
        }

        if (State.FencedOperationIds.Contains(change.OperationId))
        {
            return new ListenerResolution(false, View());
        }

        if (State.TenantId is not null && State.TenantId != change.TenantId)
        {
            throw new InvalidOperationException("A listener never changes tenant.");
        }

        var now = time.GetUtcNow();
        if (change.Definition is null)
        {
            State.Deleted = true;
        }
        else
        {
            if (!State.Exists)
            {
                State.TenantId = change.TenantId;
                State.CreatedAt = now;
                State.Deleted = false;
            }

            State.Uri = change.Definition.Uri;
            State.Subscriptions = change.Definition.Subscriptions;
            State.Description = change.Definition.Description;
        }

        State.UpdatedAt = now;
        State.LastOperationId = change.OperationId;
        await listener.WriteStateAsync();
        return new ListenerResolution(true, View());
    }

    public async Task<ListenerResolution> ResolveAsync(Guid operationId)
    {
        if (State.LastOperationId == operationId)
        {
            return new ListenerResolution(true, View());
        }

        if (!State.FencedOperationIds.Contains(operationId))
        {
            State.FencedOperationIds.Add(operationId);
            if (State.FencedOperationIds.Count > FencesKept)
            {
                State.FencedOperationIds.RemoveAt(0);
            }

            await listener.WriteStateAsync();
        }

        return new ListenerResolution(false, View());
    }

    private WebhookView? View() => State.Exists
        ? new WebhookView(
            this.GetPrimaryKeyString(), State.TenantId!, State.Uri!, State.Subscriptions, State.Description,
            State.Enabled, State.DisabledReason, State.CreatedAt, State.UpdatedAt)
        : null;
}
