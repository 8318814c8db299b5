namespace Webhooks.Grains.Retention;

/// <summary>
/// Which deliveries are past their retention: succeeded ones that finished before <paramref name="SucceededBefore"/>,
/// and failed, skipped or parked ones since before <paramref name="FailedBefore"/>. A delivery finishes after its event
/// is accepted, so only the events up to the newest accepted before each cutoff, and those no longer stored, can have such
/// deliveries (<paramref name="SucceededUpTo"/>, <paramref name="FailedUpTo"/>): the range a sweep reads.
/// </summary>
public sealed record DeliveryCutoffs(long SucceededUpTo, DateTimeOffset SucceededBefore, long FailedUpTo, DateTimeOffset FailedBefore);
