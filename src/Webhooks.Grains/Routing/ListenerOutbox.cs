using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Routing;

/// <summary>
/// The events on their way from a tenant's router to one listener. The first is sent at once; those published
/// while that call is out go together in the next one, so under load a listener takes one call per batch of
/// events instead of one per event, and nothing waits when there is no load. Each publish still completes only
/// when its own event is on the listener's storage.
/// </summary>
/// <remarks>Used only on the router's turns (it runs one at a time), so it needs no locks.</remarks>
internal sealed class ListenerOutbox(IListenerGrain listener, Action onIdle)
{
    private List<(EventEnvelope Event, TaskCompletionSource<bool> Taken)>? _next;
    private bool _sending;

    /// <summary>Completes with the listener's answer for <paramref name="envelope"/> once it is on storage.</summary>
    public Task<bool> EnqueueAsync(EventEnvelope envelope)
    {
        var taken = new TaskCompletionSource<bool>();
        (_next ??= []).Add((envelope, taken));
        if (!_sending)
        {
            _sending = true;
            _ = SendAsync();
        }

        return taken.Task;
    }

    private async Task SendAsync()
    {
        while (_next is { } batch)
        {
            _next = null;
            try
            {
                var taken = await listener.EnqueueAsync([.. batch.Select(b => b.Event)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Taken.SetResult(taken[i]);
                }
            }
            catch (Exception ex)
            {
                // The batch shared one write: none of it is known to be stored.
                foreach (var (_, taken) in batch)
                {
                    taken.SetException(ex);
                }
            }
        }

        _sending = false;
        onIdle();
    }
}
