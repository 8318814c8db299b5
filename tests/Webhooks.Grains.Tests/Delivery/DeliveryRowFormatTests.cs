using System.Text;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Log;

namespace Webhooks.Grains.Tests.Delivery;

public sealed class DeliveryRowFormatTests
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 12, 5, 1, 58, 23, TimeSpan.Zero).AddTicks(2_019_776);

    /// <summary>A delivery carrying its event, with every field set and text beyond ASCII.</summary>
    private static DeliveryRecord Full() => new()
    {
        EventId = "evt_ünïcødé_🎉",
        EventCode = "entitlement.created",
        ResourceId = "ent_42",
        EventDate = new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1),
        Payload = """{"seats":3,"note":"ß \u2028 \"quoted\""}""",
        IsTest = true,
        Status = DeliveryStatus.Failed,
        CreatedAt = new DateTimeOffset(T0.UtcDateTime).ToOffset(TimeSpan.FromMinutes(330)),
        NextAttemptAt = T0.AddHours(-3), // earlier than its creation: a clock stepped back between silos
        SeriesFailures = 300,
        Attempts =
        [
            new AttemptView(1, T0.AddMilliseconds(1.5), 503, 12, null, "busy"),
            new AttemptView(2, T0.AddMinutes(5), null, long.MaxValue, "connection refused: «no»", null),
            new AttemptView(int.MaxValue, T0.AddDays(400).ToOffset(TimeSpan.FromHours(14)), 200, -1, "", ""),
        ],
    };

    /// <summary>A succeeded delivery of an event stored once: what nearly every row is.</summary>
    private static DeliveryRecord StoredOnce() => new()
    {
        EventId = "bench-a-0001402017",
        EventCode = "customer.created",
        ResourceId = "res-1",
        EventDate = T0,
        Payload = """{"data":"not in the row"}""",
        EventSeq = 37_390,
        Status = DeliveryStatus.Succeeded,
        CreatedAt = T0,
        Attempts = [new AttemptView(1, T0.AddTicks(10_786), 200, 0, null, null)],
    };

    [Fact]
    public void Serialize_DeliveryCarryingItsEvent_ReadsBackEveryField()
    {
        var record = Full();

        var read = DeliveryRowFormat.Deserialize(DeliveryRowFormat.Serialize(record));

        AssertSame(record, read);
        Assert.Equal(record.ResourceId, read.ResourceId);
        Assert.Equal(record.Payload, read.Payload);
        Assert.Equal(record.EventDate, read.EventDate);
        Assert.Equal(record.EventDate.Offset, read.EventDate.Offset);
    }

    [Fact]
    public void Serialize_DeliveryOfAStoredEvent_LeavesTheEventOutAndIsCompact()
    {
        var record = StoredOnce();

        var bytes = DeliveryRowFormat.Serialize(record);
        var read = DeliveryRowFormat.Deserialize(bytes);

        AssertSame(record, read);
        Assert.Null(read.ResourceId);
        Assert.Null(read.Payload);
        Assert.Equal(default, read.EventDate);
        Assert.DoesNotContain("not in the row", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        // The JSON of the same record took 320 bytes; the point of the format is what each of the two writes of a delivery costs.
        Assert.InRange(bytes.Length, 40, 64);
    }

    [Fact]
    public void Serialize_PendingDeliveryWithNoAttempt_ReadsBack()
    {
        var record = new DeliveryRecord { EventId = "", EventCode = "", EventSeq = 1, CreatedAt = T0, NextAttemptAt = T0 };

        AssertSame(record, DeliveryRowFormat.Deserialize(DeliveryRowFormat.Serialize(record)));
    }

    [Fact]
    public void Deserialize_RowStoredAsJsonBefore_ReadsBack()
    {
        // As the previous version wrote it, with its extra fields ("seq", "retainedSince") that the columns now carry.
        var json = """
            {"eventId":"bench-a-0001402017","eventCode":"customer.created","isTest":false,"status":1,"createdAt":"2026-12-05T01:59:03.9932755+00:00","seriesFailures":0,"attempts":[{"attempt":1,"at":"2026-12-05T01:59:03.9943562+00:00","statusCode":200,"durationMs":0}],"seq":37390,"retainedSince":"2026-12-05T01:59:03.9947705+00:00"}
            """u8;
        var inline = """
            {"eventId":"event_a","eventCode":"entitlement.created","resourceId":"ent_1","eventDate":"2026-11-28T00:00:00+00:00","payload":"{\"seats\":3}","isTest":false,"status":0,"createdAt":"2026-11-28T00:00:00+00:00","nextAttemptAt":"2026-11-28T00:00:05+00:00","seriesFailures":1,"attempts":[{"attempt":1,"at":"2026-11-28T00:00:00+00:00","statusCode":500,"durationMs":7,"error":"boom","responseBody":"oops"}],"seq":3}
            """u8;

        var read = DeliveryRowFormat.Deserialize(json);
        var withEvent = DeliveryRowFormat.Deserialize(inline);

        Assert.Equal(("bench-a-0001402017", "customer.created", DeliveryStatus.Succeeded), (read.EventId, read.EventCode, read.Status));
        Assert.Equal(DateTimeOffset.Parse("2026-12-05T01:59:03.9932755+00:00", System.Globalization.CultureInfo.InvariantCulture), read.CreatedAt);
        Assert.Equal(new AttemptView(1, DateTimeOffset.Parse("2026-12-05T01:59:03.9943562+00:00", System.Globalization.CultureInfo.InvariantCulture), 200, 0, null, null), Assert.Single(read.Attempts));
        Assert.Equal(("ent_1", """{"seats":3}""", 1), (withEvent.ResourceId, withEvent.Payload, withEvent.SeriesFailures));
        Assert.Equal(new AttemptView(1, withEvent.CreatedAt, 500, 7, "boom", "oops"), Assert.Single(withEvent.Attempts));
        Assert.Equal(withEvent.CreatedAt.AddSeconds(5), withEvent.NextAttemptAt);
    }

    [Fact]
    public void QueueRow_WrittenBinaryOrJson_LoadsTheSameDelivery()
    {
        var record = StoredOnce();
        var row = new DeliveryRow(7, record.Status, DeliveryRowFormat.Serialize(record), record.EventSeq) { RetainedSince = T0.AddSeconds(1) };

        var loaded = DeliveryQueue.FromRow(row);

        Assert.Equal((7L, 37_390L, T0.AddSeconds(1), false), (loaded.Seq, loaded.EventSeq!.Value, loaded.FinishedAt!.Value, loaded.HasContent));
        AssertSame(record, loaded);
    }

    public static TheoryData<string, byte[]> Broken() => new()
    {
        { "empty", [] },
        { "unknown format", [2, 0] },
        { "JSON null", "null"u8.ToArray() },
        { "not JSON after a brace", "{nope"u8.ToArray() },
        { "a byte after the last field", [.. DeliveryRowFormat.Serialize(StoredOnce()), 0] },
        { "unknown flags", WithByte(DeliveryRowFormat.Serialize(StoredOnce()), 1, 0x80) },
        { "unknown status", WithByte(DeliveryRowFormat.Serialize(new DeliveryRecord { EventSeq = 1 }), 4, 9) },
        { "text that is not UTF-8", [1, 0, 1, 0xFF, 0] },
        { "a number longer than 64 bits", [1, 0, .. Enumerable.Repeat((byte)0xFF, 11)] },
        { "a length beyond the row", [1, 0, 0x7F, (byte)'a'] },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Deserialize_BrokenRecord_ThrowsInvalidData(string what, byte[] stored)
    {
        var e = Assert.Throws<InvalidDataException>(() => DeliveryRowFormat.Deserialize(stored));
        Assert.False(string.IsNullOrEmpty(e.Message), what);
    }

    [Fact]
    public void Deserialize_EveryTruncationAndRandomDamage_ThrowsInvalidDataOrReadsARecord()
    {
        var bytes = DeliveryRowFormat.Serialize(Full());
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => DeliveryRowFormat.Deserialize(bytes.AsSpan(0, length)));
        }

        var random = new Random(20261205);
        for (var i = 0; i < 20_000; i++)
        {
            var damaged = (byte[])bytes.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(1, damaged.Length)] = (byte)random.Next(256);
            }

            try
            {
                DeliveryRowFormat.Deserialize(damaged);
            }
            catch (InvalidDataException)
            {
                // Expected for most: what matters is that nothing else escapes.
            }
        }
    }

    private static byte[] WithByte(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }

    private static void AssertSame(DeliveryRecord expected, DeliveryRecord actual)
    {
        Assert.Equal((expected.EventId, expected.EventCode, expected.IsTest, expected.Status, expected.SeriesFailures),
            (actual.EventId, actual.EventCode, actual.IsTest, actual.Status, actual.SeriesFailures));
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.CreatedAt.Offset, actual.CreatedAt.Offset);
        Assert.Equal(expected.NextAttemptAt, actual.NextAttemptAt);
        Assert.Equal(expected.NextAttemptAt?.Offset, actual.NextAttemptAt?.Offset);
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected.Attempts.Select(a => a.At.Offset), actual.Attempts.Select(a => a.At.Offset));
    }
}
