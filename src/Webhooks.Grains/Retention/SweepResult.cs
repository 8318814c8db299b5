namespace Webhooks.Grains.Retention;

/// <summary>What one sweep removed: deliveries, events, and event ids accepted before events were stored once.</summary>
public sealed record SweepResult(int Deliveries, int Events, int LegacyEventIds)
{
    public int Total => Deliveries + Events + LegacyEventIds;
}
