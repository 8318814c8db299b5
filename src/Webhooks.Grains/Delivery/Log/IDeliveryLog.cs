namespace Webhooks.Grains.Delivery.Log;

/// <summary>
/// Where a listener's deliveries are kept: one row per delivery, so a write carries only the deliveries that
/// changed and its cost does not depend on how long the backlog is. The listener grain is the only writer of
/// its own rows and calls one method at a time.
/// </summary>
public interface IDeliveryLog
{
    /// <summary>
    /// Every stored delivery of <paramref name="listenerId"/>, in <see cref="DeliveryRow.Seq"/> order, with the content of
    /// the stored events of those that are not finished (one read: a join).
    /// </summary>
    Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId);

    /// <summary>
    /// Stores <paramref name="changes"/> atomically: all of them or, on failure, none. One listener's saves are applied
    /// in the order they are called, also when one is called before the one before it has completed (the listener
    /// writes its newest changes alongside a save still in flight; see <see cref="CoalescingWriter"/>).
    /// </summary>
    Task SaveAsync(string listenerId, DeliveryLogChanges changes);
}
