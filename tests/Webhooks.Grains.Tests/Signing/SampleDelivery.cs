using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Signing;

/// <summary>A delivery with its event in memory, as a listener's queue holds one when it signs an attempt.</summary>
internal static class SampleDelivery
{
    public static DeliveryRecord Of(string eventId) => new()
    {
        EventId = eventId,
        EventCode = "entitlement.created",
        ResourceId = "ent_1",
        EventDate = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Payload = """{"seats":1}""",
    };
}
