using System.Buffers.Binary;
using System.Text;
using Webhooks.Abstractions.Delivery;

namespace Webhooks.Grains.Delivery.Log;

/// <summary>
/// A delivery row's record as it is stored: a compact binary form written by this code, and read back together with
/// the JSON that rows written before it carry (<see cref="DeliveryRowJson"/>).
/// </summary>
/// <remarks>
/// <para>
/// Every delivery is written twice (queued, then finished), so the record's size is most of what the delivery log
/// writes to disk. As JSON the record of one succeeded delivery took about 320 bytes, mostly property names and dates
/// in text; here it takes about 60, and writing it allocates only the row itself.
/// </para>
/// <para>
/// Layout (integers are unsigned LEB128 varints unless said otherwise; "zigzag" maps signed to unsigned first; a
/// string is its UTF-8 length then its bytes; a date is 8 bytes of UTC ticks, little-endian, for the creation date,
/// and zigzag ticks relative to it for every other, each followed by its offset in minutes, zigzag):
/// <c>1</c> (the format; a JSON record starts with <c>{</c>), flags (test event, next attempt, resource id, event date,
/// payload), event id, event code, status (one byte), created at, next attempt at (if flagged), failures in the series,
/// the number of attempts and each attempt (number, at, flags: status code / error / response body, status code if
/// flagged, duration in milliseconds zigzag, error and response body if flagged), then the resource id, event date and
/// payload if flagged. The row's key (<c>Seq</c>), its event (<c>EventSeq</c>) and since when it is finished
/// (<c>RetainedSince</c>) are columns of the row, not part of the record.
/// </para>
/// </remarks>
internal static class DeliveryRowFormat
{
    private const byte Binary = 1;
    private const byte JsonStart = (byte)'{';

    [Flags]
    private enum RecordFlags : byte
    {
        None = 0,
        IsTest = 1,
        NextAttemptAt = 2,
        ResourceId = 4,
        EventDate = 8,
        Payload = 16,
    }

    [Flags]
    private enum AttemptFlags : byte
    {
        None = 0,
        StatusCode = 1,
        Error = 2,
        ResponseBody = 4,
    }

    private const RecordFlags KnownRecordFlags = RecordFlags.IsTest | RecordFlags.NextAttemptAt | RecordFlags.ResourceId | RecordFlags.EventDate | RecordFlags.Payload;
    private const AttemptFlags KnownAttemptFlags = AttemptFlags.StatusCode | AttemptFlags.Error | AttemptFlags.ResponseBody;

    /// <summary>The record's stored form. The event's resource id, date and payload are in it only when the delivery carries the event itself (no <see cref="DeliveryRecord.EventSeq"/>).</summary>
    public static byte[] Serialize(DeliveryRecord record)
    {
        var inline = record.EventSeq is null;
        var flags = (record.IsTest ? RecordFlags.IsTest : 0)
            | (record.NextAttemptAt is null ? 0 : RecordFlags.NextAttemptAt)
            | (inline && record.ResourceId is not null ? RecordFlags.ResourceId : 0)
            | (inline ? RecordFlags.EventDate : 0)
            | (inline && record.Payload is not null ? RecordFlags.Payload : 0);
        var created = record.CreatedAt.UtcTicks;

        var size = 2 + StringSize(record.EventId) + StringSize(record.EventCode) + 1 + 8 + OffsetSize(record.CreatedAt)
            + (record.NextAttemptAt is { } next ? DateSize(next, created) : 0)
            + VarintSize((uint)record.SeriesFailures) + VarintSize((uint)record.Attempts.Count);
        foreach (var attempt in record.Attempts)
        {
            size += VarintSize((uint)attempt.Attempt) + DateSize(attempt.At, created) + 1
                + (attempt.StatusCode is { } code ? VarintSize((uint)code) : 0)
                + VarintSize(ZigZag(attempt.DurationMs))
                + (attempt.Error is { } error ? StringSize(error) : 0)
                + (attempt.ResponseBody is { } body ? StringSize(body) : 0);
        }

        size += (flags.HasFlag(RecordFlags.ResourceId) ? StringSize(record.ResourceId!) : 0)
            + (flags.HasFlag(RecordFlags.EventDate) ? DateSize(record.EventDate, created) : 0)
            + (flags.HasFlag(RecordFlags.Payload) ? StringSize(record.Payload!) : 0);

        var bytes = new byte[size];
        var w = new Writer(bytes);
        w.Byte(Binary);
        w.Byte((byte)flags);
        w.String(record.EventId);
        w.String(record.EventCode);
        w.Byte((byte)record.Status);
        BinaryPrimitives.WriteInt64LittleEndian(w.Take(8), created);
        w.Varint(ZigZag(OffsetMinutes(record.CreatedAt)));
        if (record.NextAttemptAt is { } nextAttemptAt)
        {
            w.Date(nextAttemptAt, created);
        }

        w.Varint((uint)record.SeriesFailures);
        w.Varint((uint)record.Attempts.Count);
        foreach (var attempt in record.Attempts)
        {
            w.Varint((uint)attempt.Attempt);
            w.Date(attempt.At, created);
            w.Byte((byte)((attempt.StatusCode is null ? 0 : AttemptFlags.StatusCode)
                | (attempt.Error is null ? 0 : AttemptFlags.Error)
                | (attempt.ResponseBody is null ? 0 : AttemptFlags.ResponseBody)));
            if (attempt.StatusCode is { } code)
            {
                w.Varint((uint)code);
            }

            w.Varint(ZigZag(attempt.DurationMs));
            if (attempt.Error is { } error)
            {
                w.String(error);
            }

            if (attempt.ResponseBody is { } body)
            {
                w.String(body);
            }
        }

        if (flags.HasFlag(RecordFlags.ResourceId))
        {
            w.String(record.ResourceId!);
        }

        if (flags.HasFlag(RecordFlags.EventDate))
        {
            w.Date(record.EventDate, created);
        }

        if (flags.HasFlag(RecordFlags.Payload))
        {
            w.String(record.Payload!);
        }

        if (w.Position != size)
        {
            throw new InvalidOperationException($"A delivery record measured {size} bytes but wrote {w.Position}.");
        }

        return bytes;
    }

    /// <summary>
    /// Reads a stored record, binary or JSON; <see cref="InvalidDataException"/> when it is neither. The row's own
    /// columns (Seq, EventSeq, RetainedSince) are the caller's to set.
    /// </summary>
    public static DeliveryRecord Deserialize(ReadOnlySpan<byte> stored)
    {
        if (stored.IsEmpty)
        {
            throw new InvalidDataException("A delivery record is empty.");
        }

        if (stored[0] == JsonStart)
        {
            return DeliveryRowJson.Deserialize(stored) ?? throw new InvalidDataException("A delivery record is the JSON literal null.");
        }

        if (stored[0] != Binary)
        {
            throw new InvalidDataException($"A delivery record starts with byte {stored[0]}, which is no format this version reads.");
        }

        try
        {
            return Read(stored[1..]);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // A date or an offset out of range: the bytes are not a record this code wrote.
            throw new InvalidDataException("A delivery record holds a date out of range.", e);
        }
    }

    private static DeliveryRecord Read(ReadOnlySpan<byte> stored)
    {
        var r = new Reader(stored);
        var flags = (RecordFlags)r.Byte();
        if ((flags & ~KnownRecordFlags) != 0)
        {
            throw new InvalidDataException($"A delivery record has unknown flags {(byte)flags}.");
        }

        var record = new DeliveryRecord
        {
            IsTest = flags.HasFlag(RecordFlags.IsTest),
            EventId = r.String(),
            EventCode = r.String(),
        };
        var status = r.Byte();
        record.Status = status <= (byte)DeliveryStatus.Skipped
            ? (DeliveryStatus)status
            : throw new InvalidDataException($"A delivery record has unknown status {status}.");
        var created = BinaryPrimitives.ReadInt64LittleEndian(r.Take(8));
        record.CreatedAt = At(created, r.Offset());
        if (flags.HasFlag(RecordFlags.NextAttemptAt))
        {
            record.NextAttemptAt = r.Date(created);
        }

        record.SeriesFailures = r.Int();
        var count = r.Int();
        record.Attempts = new List<AttemptView>(Math.Min(count, 64));
        for (var i = 0; i < count; i++)
        {
            var number = r.Int();
            var at = r.Date(created);
            var attemptFlags = (AttemptFlags)r.Byte();
            if ((attemptFlags & ~KnownAttemptFlags) != 0)
            {
                throw new InvalidDataException($"A delivery record's attempt has unknown flags {(byte)attemptFlags}.");
            }

            int? statusCode = attemptFlags.HasFlag(AttemptFlags.StatusCode) ? r.Int() : null;
            var duration = UnZigZag(r.Varint());
            var error = attemptFlags.HasFlag(AttemptFlags.Error) ? r.String() : null;
            var body = attemptFlags.HasFlag(AttemptFlags.ResponseBody) ? r.String() : null;
            record.Attempts.Add(new AttemptView(number, at, statusCode, duration, error, body));
        }

        record.ResourceId = flags.HasFlag(RecordFlags.ResourceId) ? r.String() : null;
        if (flags.HasFlag(RecordFlags.EventDate))
        {
            record.EventDate = r.Date(created);
        }

        record.Payload = flags.HasFlag(RecordFlags.Payload) ? r.String() : null;
        if (!r.AtEnd)
        {
            throw new InvalidDataException("A delivery record has bytes after its last field.");
        }

        return record;
    }

    private static DateTimeOffset At(long utcTicks, int offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private static int OffsetMinutes(DateTimeOffset value) => (int)(value.Offset.Ticks / TimeSpan.TicksPerMinute);

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return VarintSize((uint)length) + length;
    }

    private static int OffsetSize(DateTimeOffset value) => VarintSize(ZigZag(OffsetMinutes(value)));

    private static int DateSize(DateTimeOffset value, long created) =>
        VarintSize(ZigZag(value.UtcTicks - created)) + OffsetSize(value);

    private ref struct Writer(Span<byte> bytes)
    {
        private readonly Span<byte> _bytes = bytes;

        public int Position { get; private set; }

        public void Byte(byte value) => _bytes[Position++] = value;

        public Span<byte> Take(int count)
        {
            var span = _bytes.Slice(Position, count);
            Position += count;
            return span;
        }

        public void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes[Position++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _bytes[Position++] = (byte)value;
        }

        public void String(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            Varint((uint)length);
            Position += Encoding.UTF8.GetBytes(value, _bytes.Slice(Position, length));
        }

        public void Date(DateTimeOffset value, long created)
        {
            Varint(ZigZag(value.UtcTicks - created));
            Varint(ZigZag(OffsetMinutes(value)));
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly bool AtEnd => _position == _bytes.Length;

        public byte Byte() => _position < _bytes.Length ? _bytes[_position++] : throw Truncated();

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count > _bytes.Length - _position)
            {
                throw Truncated();
            }

            var span = _bytes.Slice(_position, count);
            _position += count;
            return span;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("A delivery record holds a number longer than 64 bits.");
        }

        /// <summary>A count or a number: a varint that fits an int.</summary>
        public int Int()
        {
            var value = Varint();
            return value <= int.MaxValue ? (int)value : throw new InvalidDataException("A delivery record holds a number out of range.");
        }

        public string String()
        {
            var length = Int();
            try
            {
                return Strict.GetString(Take(length));
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException("A delivery record holds text that is not UTF-8.", e);
            }
        }

        public DateTimeOffset Date(long created)
        {
            var ticks = created + UnZigZag(Varint());
            return At(ticks, Offset());
        }

        /// <summary>An offset from UTC in minutes, zigzag; at most the ±14 hours a DateTimeOffset allows.</summary>
        public int Offset()
        {
            var minutes = UnZigZag(Varint());
            return minutes is >= -14 * 60 and <= 14 * 60 ? (int)minutes : throw new InvalidDataException("A delivery record holds an offset out of range.");
        }

        private static InvalidDataException Truncated() => new("A delivery record ends before its last field.");
    }
}
