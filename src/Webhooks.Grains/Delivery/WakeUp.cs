using Microsoft.Extensions.Logging;

namespace Webhooks.Grains.Delivery;

/// <summary>
/// What keeps a listener with pending deliveries going: while active, a poll timer that pumps as attempts come due;
/// from its first pending delivery on, its row on the wake-up list (<see cref="IWakeUps"/>), which brings it back
/// after a restart or the loss of its silo.
/// </summary>
/// <remarks>
/// Changes to the row are stored one after another in the order asked, so a removal still on its way can never undo
/// a later addition. The row is added when something is pending, and removed only by a wake-up that finds nothing
/// pending (<see cref="Request"/> with <c>force</c>), not each time the queue drains: under load the pending count
/// crosses zero constantly, and a write for each crossing would cost more than the deliveries themselves.
/// </remarks>
internal sealed partial class WakeUp(IWakeUps list, GrainId grain, ILogger logger, Func<IGrainTimer> startPolling)
{
    private IGrainTimer? _poll;
    private bool _listed;
    private Task _change = Task.CompletedTask;

    /// <summary>Whether this activation believes the row is stored (or being stored).</summary>
    public bool Listed => _listed;

    /// <summary>
    /// Polls while attempts may come due (<paramref name="active"/>), and lists the listener once something is
    /// <paramref name="pending"/>; a failure to list is logged, and listing is asked again on the next change of state.
    /// </summary>
    /// <param name="active">The listener has pending deliveries it may attempt.</param>
    /// <param name="pending">The listener has pending deliveries, attemptable or not.</param>
    public void KeepAwake(bool active, bool pending)
    {
        if (active && _poll is null)
        {
            _poll = startPolling();
        }
        else if (!active)
        {
            StopPolling();
        }

        if (pending && !_listed)
        {
            Request(listed: true).Ignore();
        }
    }

    /// <summary>Stops the poll timer, if it runs.</summary>
    public void StopPolling()
    {
        _poll?.Dispose();
        _poll = null;
    }

    /// <summary>
    /// Asks for the row to exist or not (<paramref name="force"/>: even when this activation believes it already is
    /// so). Completes when that state is stored; a failure is logged and thrown.
    /// </summary>
    /// <param name="listed">Whether the row should exist.</param>
    /// <param name="force">Store it even if this activation believes it is already so.</param>
    public Task Request(bool listed, bool force = false)
    {
        if (listed == _listed && !force && !_change.IsFaulted)
        {
            return _change;
        }

        _listed = listed;
        return _change = ChangeAsync(_change, listed);
    }

    private async Task ChangeAsync(Task previous, bool listed)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That change's failure was logged and reported to its own callers; this one stands on its own.
        }

        try
        {
            await (listed ? list.AddAsync(grain) : list.RemoveAsync(grain));
        }
        catch (Exception ex)
        {
            // Try again on the next change of state, unless a later request has already changed it.
            if (_listed == listed)
            {
                _listed = !listed;
            }

            LogWakeUpFailed(logger, ex, grain.Key.ToString()!);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: its row on the wake-up list could not be updated")]
    private static partial void LogWakeUpFailed(ILogger logger, Exception exception, string listenerId);
}
