using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Auth;

/// <summary>Credentials of the platform that operates the deployment.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section, <c>Webhooks:Auth</c>.</summary>
    public const string Section = "Webhooks:Auth";

    /// <summary>The key the Development environment accepts when none is configured. Never valid elsewhere.</summary>
    public const string DevelopmentPlatformKey = "dev-platform-key";

    private const string PlatformKeySetting = Section + ":" + nameof(PlatformKey);

    /// <summary>The platform key: creates tenants and may act for any tenant named by <c>N-TenantId</c>.</summary>
    /// <value>Required outside Development; in Development the default is <see cref="DevelopmentPlatformKey"/>.</value>
    public string? PlatformKey { get; set; }

    /// <summary>
    /// The key is what guards the platform endpoints by default, so it is required unless the host's own policy guards
    /// them (<see cref="WebhooksApiOptions.PlatformPolicy"/>); the development key is refused outside Development.
    /// </summary>
    internal sealed class Validator(IHostEnvironment environment, WebhooksApiOptions api) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            if (api.PlatformPolicy == ApiClaims.PlatformPolicy && string.IsNullOrWhiteSpace(options.PlatformKey))
            {
                return ValidateOptionsResult.Fail($"{PlatformKeySetting} must be configured outside the Development environment.");
            }

            return !environment.IsDevelopment() && options.PlatformKey == DevelopmentPlatformKey
                ? ValidateOptionsResult.Fail($"{PlatformKeySetting} may not be the development key ('{DevelopmentPlatformKey}') outside the Development environment.")
                : ValidateOptionsResult.Success;
        }
    }
}
