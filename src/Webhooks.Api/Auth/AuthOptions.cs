namespace Webhooks.Api.Auth;

/// <summary>Credentials of the platform that operates the deployment.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section, <c>Webhooks:Auth</c>.</summary>
    public const string Section = "Webhooks:Auth";

    /// <summary>The key the Development environment accepts when none is configured. Never valid elsewhere.</summary>
    public const string DevelopmentPlatformKey = "dev-platform-key";

    /// <summary>The platform key: creates tenants and may act for any tenant named by <c>N-TenantId</c>.</summary>
    /// <value>Required outside Development; in Development the default is <see cref="DevelopmentPlatformKey"/>.</value>
    public string? PlatformKey { get; set; }
}
