using System.Security.Cryptography;

namespace Webhooks.Grains.Signing;

/// <summary>Standard Webhooks signing secrets: <c>whsec_</c> and the base64 of 32 random bytes.</summary>
public static class ListenerSecrets
{
    public const string Prefix = "whsec_";

    public static string Create() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The HMAC key a secret stands for.</summary>
    public static byte[] KeyBytes(string secret) =>
        Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
}
