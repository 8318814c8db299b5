namespace Webhooks.Grains.Delivery;

/// <summary>Makes one delivery attempt: one HTTP POST, bounded in time and in what it reads back.</summary>
public interface IDeliverySender
{
    /// <summary>
    /// Posts <see cref="DeliveryRequest.Body"/> to the target. Never throws for anything the listener or the
    /// network does (refusal, timeout, reset, open circuit); those come back as a failed <see cref="AttemptOutcome"/>.
    /// </summary>
    Task<AttemptOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// True while the listener's circuit is open: an attempt now would fail without a request, so the listener's
    /// queue waits instead, its schedule untouched, until the break is over and a trial attempt may go.
    /// </summary>
    bool IsHeld(string listenerId) => false;
}
