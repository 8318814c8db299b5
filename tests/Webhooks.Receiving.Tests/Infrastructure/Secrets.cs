using System.Security.Cryptography;

namespace Webhooks.Receiving.Tests.Infrastructure;

/// <summary>Signing material for hand-made deliveries.</summary>
public static class Secrets
{
    /// <summary>A new listener secret, shaped as the server issues them.</summary>
    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
