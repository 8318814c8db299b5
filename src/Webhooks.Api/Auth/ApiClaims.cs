namespace Webhooks.Api.Auth;

/// <summary>The claims and policies of an authenticated caller.</summary>
public static class ApiClaims
{
    public const string Scheme = "Bearer";

    /// <summary>Set for a tenant key: the tenant it belongs to.</summary>
    public const string TenantId = "tenant_id";

    /// <summary>Set for a tenant key: the key's prefix (<c>wk.{tenantId}.{keyId}</c>), which names the key and never its secret.</summary>
    public const string KeyId = "key_id";

    /// <summary>Set for the platform key.</summary>
    public const string Platform = "platform";

    /// <summary>Policy: any valid key (tenant or platform).</summary>
    public const string AnyKeyPolicy = "any-key";

    /// <summary>Policy: the platform key only.</summary>
    public const string PlatformPolicy = "platform";

    /// <summary>Policy: any user the host's default authentication scheme authenticated (the tenant endpoints' with a tenant resolver).</summary>
    public const string HostUserPolicy = "webhooks-host-user";
}
