using System.Buffers.Binary;
using System.Buffers.Text;
using Webhooks.Abstractions.Publishing;

namespace Webhooks.Api.Publishing;

/// <summary>
/// The events feed's cursor as clients see it: an opaque base64url token of the store's own position (16 bytes), the
/// same on every silo and after any restart, since the position is stored with the event.
/// </summary>
public static class FeedCursor
{
    private const int Bytes = 16;

    public static string Encode(FeedPosition position)
    {
        Span<byte> bytes = stackalloc byte[Bytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, position.Commit);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], position.Seq);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position <paramref name="cursor"/> stands for; false when it is not a cursor this API issues.</summary>
    public static bool TryDecode(string cursor, out FeedPosition? position)
    {
        position = null;
        Span<byte> bytes = stackalloc byte[Bytes];
        // Decoding throws, rather than failing, on some malformed input (stray bits in the last character). Re-encoding
        // refuses every other spelling of the same bytes, so a position has exactly one cursor.
        if (cursor.Length != Base64Url.GetEncodedLength(Bytes) || !Base64Url.IsValid(cursor, out var length) || length != Bytes)
        {
            return false;
        }

        try
        {
            if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != Bytes || Base64Url.EncodeToString(bytes) != cursor)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            return false;
        }

        var (commit, seq) = (BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes[8..]));
        if (commit < 0 || seq < 0)
        {
            return false;
        }

        position = new FeedPosition(commit, seq);
        return true;
    }
}
