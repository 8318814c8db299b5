using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Grains.Signing;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>,
/// one per live secret, space-separated (several during a rotation).
/// </summary>
public static class StandardWebhookSignature
{
    public static string Compute(IEnumerable<byte[]> keys, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = ArrayPool<byte>.Shared.Rent(prefix.Length + body.Length);
        try
        {
            prefix.CopyTo(content, 0);
            body.CopyTo(content.AsSpan(prefix.Length));
            var signed = content.AsSpan(0, prefix.Length + body.Length);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            var signatures = new List<string>();
            foreach (var key in keys)
            {
                HMACSHA256.HashData(key, signed, mac);
                signatures.Add("v1," + Convert.ToBase64String(mac));
            }

            return string.Join(' ', signatures);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(content);
        }
    }
}
