namespace Webhooks.Receiving.Replay;

/// <summary>
/// Remembers the deliveries a receiver accepted, long enough to refuse a captured request sent again while its
/// timestamp is still within the tolerance. The default keeps them in memory; a receiver running as several instances
/// registers one over shared storage (a cache's set-if-absent with an expiry) after <c>AddWebhookReceiver</c>.
/// </summary>
public interface IReplayCache
{
    /// <summary>
    /// Records <paramref name="key"/> until <paramref name="expiresAt"/>, atomically: true when it was new (or its
    /// earlier record has expired), false when it is already recorded.
    /// </summary>
    ValueTask<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
