using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>
/// Wraps the real events store the same way as the grain storage and the delivery log: the event's row is the first
/// thing a publish stores and its outcome the last, so a frozen silo must not write them either. Writes are reported
/// with the state names <see cref="Accept"/> and <see cref="Complete"/>, keyed by the tenant.
/// </summary>
internal sealed class FaultInjectingAcceptedEvents(IAcceptedEvents inner, StorageFaults faults) : IAcceptedEvents
{
    public const string Accept = "event";
    public const string Complete = "event-outcome";

    public async Task<AcceptedEvent> AcceptAsync(EventEnvelope envelope, DateTimeOffset acceptedAt)
    {
        var write = new StorageWrite(Accept, GrainId.Create("events", envelope.TenantId), envelope);
        var fault = await faults.BeforeWriteAsync(write);
        var accepted = await inner.AcceptAsync(envelope, acceptedAt);
        StorageFaults.AfterWrite(fault, write);
        return accepted;
    }

    public async Task<int> CompleteAsync(long seq, IReadOnlyList<string> listenerIds)
    {
        var write = new StorageWrite(Complete, GrainId.Create("events", seq.ToString(System.Globalization.CultureInfo.InvariantCulture)), listenerIds);
        var fault = await faults.BeforeWriteAsync(write);
        var matched = await inner.CompleteAsync(seq, listenerIds);
        StorageFaults.AfterWrite(fault, write);
        return matched;
    }

    public async Task<IReadOnlyDictionary<long, EventContent>> GetContentAsync(IReadOnlyCollection<long> seqs)
    {
        await faults.BeforeReadAsync();
        return await inner.GetContentAsync(seqs);
    }

    public async Task<EventFeedPage> ReadAsync(string tenantId, EventFeedQuery query)
    {
        await faults.BeforeReadAsync();
        return await inner.ReadAsync(tenantId, query);
    }

    public async Task<AcceptedEventRecord?> FindAsync(string tenantId, string eventId)
    {
        await faults.BeforeReadAsync();
        return await inner.FindAsync(tenantId, eventId);
    }
}
