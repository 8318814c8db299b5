namespace Webhooks.Grains.Retention;

/// <summary>What one batch removed, and the greatest event sequence among them: where the next batch starts.</summary>
public sealed record SweptBatch(int Removed, long LastEvent);
