namespace Webhooks.Grains.Delivery;

/// <summary>
/// The dispatcher's wake-up list (table <c>WebhooksWakeUps</c>): the grains with work that must resume after a
/// restart, each named once. <see cref="PendingWakeUp"/> reads it and wakes them; the grains add and remove themselves.
/// It stands in for Orleans reminders, so the dispatcher brings no reminder service into a host's silo.
/// </summary>
public interface IWakeUps
{
    /// <summary>Stores <paramref name="grain"/> in the list; completes once it is on storage. Adding it twice is one row.</summary>
    Task AddAsync(GrainId grain);

    /// <summary>Removes <paramref name="grain"/> from the list, if it is there.</summary>
    Task RemoveAsync(GrainId grain);

    /// <summary>Every grain in the list.</summary>
    Task<IReadOnlyList<GrainId>> ReadAsync(CancellationToken cancellation);
}
