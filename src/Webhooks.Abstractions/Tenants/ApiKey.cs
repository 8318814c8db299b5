
namespace Webhooks.Abstractions.Tenants;

/// <summary>
/// A tenant API key, <c>wk.{tenantId}.{keyId}.{secret}</c>. The tenant id in the key lets the server find the
/// one tenant grain that holds the key's hash, so no global key index is needed.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.ApiKey")]
public readonly record struct ApiKey(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] string Secret)
{
    private const string Scheme = "wk";

    /// <summary>The full key as handed to the client.</summary>
    public override string ToString() => $"{Scheme}.{TenantId}.{KeyId}.{Secret}";

    /// <summary>The part of the key that is safe to show again: everything but the secret.</summary>
    public string Prefix => $"{Scheme}.{TenantId}.{KeyId}";

    /// <summary>Parses a key; false for anything not shaped like one.</summary>
    public static bool TryParse(string? value, out ApiKey key)
    {
        key = default;
        if (value is null || value.Length > 256)
        {
            return false;
        }

        var parts = value.Split('.');
        if (parts.Length != 4 || parts[0] != Scheme || !ResourceIds.IsTenantId(parts[1])
            || !ResourceIds.IsUrlSafeToken(parts[2]) || !ResourceIds.IsUrlSafeToken(parts[3]))
        {
            return false;
        }

        key = new ApiKey(parts[1], parts[2], parts[3]);
        return true;
    }
}
