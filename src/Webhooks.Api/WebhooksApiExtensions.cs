using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Limits;
using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Auth;
using Webhooks.Api.Credentials;
using Webhooks.Api.Errors;
using Webhooks.Api.Limits;
using Webhooks.Api.Listeners;
using Webhooks.Api.Publishing;
using Webhooks.Api.Tenants;
using Webhooks.Api.Validation;

namespace Webhooks.Api;

/// <summary>Registers and maps the whole HTTP API.</summary>
public static class WebhooksApiExtensions
{
    /// <summary>
    /// Registers the API: by default it authenticates its own API keys (tenant keys and the platform key);
    /// <paramref name="configure"/> can hand the tenant endpoints to the host's authentication through an
    /// <see cref="ITenantResolver"/>, and choose the policy of the platform-only endpoints.
    /// </summary>
    public static IServiceCollection AddWebhooksApi(this IServiceCollection services, IHostEnvironment environment, Action<WebhooksApiOptions>? configure = null)
    {
        var api = new WebhooksApiOptions();
        configure?.Invoke(api);
        // Set in code, not bound from configuration, so checked here, where a mistake is the host's code.
        if (new WebhooksApiOptions.Validator().Validate(Options.DefaultName, api) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WebhooksApiOptions), invalid.Failures);
        }

        services.AddSingleton(api);
        if (api.TenantResolver is { } resolver)
        {
            services.AddSingleton(typeof(ITenantResolver), resolver);
        }

        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.PlatformKey) && environment.IsDevelopment())
                {
                    o.PlatformKey = AuthOptions.DevelopmentPlatformKey;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>>(new AuthOptions.Validator(environment, api));
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Webhooks:Limits is shared with the silo (the listener cap, the payload cap): one options class owns it,
        // registered once, whichever asks first.
        services.AddWebhooksLimits();
        services.AddWebhookPublishing();
        services.AddSingleton<IRequestValidator<WebhookRequest>, WebhookRequestValidator>();
        services.AddSingleton<IRequestValidator<RecoverRequest>, RecoverRequestValidator>();
        services.AddSingleton<IRequestValidator<CreateTenantRequest>, CreateTenantRequestValidator>();
        services.AddSingleton<IRequestValidator<CreateApiKeyRequest>, CreateApiKeyRequestValidator>();
        services.AddSingleton<IRequestValidator<PublishEventRequest>, PublishEventRequestValidator>();

        // Binding failures (bad JSON, a query value of the wrong type, an oversized body) reach the exception
        // handler in every environment, so every client error has the same problem body.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Ours first: the service uses the first writer that accepts, and ours accepts whatever the client asked for,
        // for the API's requests only (WebhooksApiMounts); the host's go to the host's writers and customization.
        services.TryAddSingleton<WebhooksApiMounts>();
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // The key policies name the key scheme, so they hold whatever the host's default scheme is; the key scheme is
        // the default only when the host set none and no tenant resolver hands the tenant endpoints to the host's.
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiClaims.Scheme, null);
        if (api.TenantResolver is null)
        {
            services.PostConfigure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(o => o.DefaultScheme ??= ApiClaims.Scheme);
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiClaims.AnyKeyPolicy, p => p.AddAuthenticationSchemes(ApiClaims.Scheme).RequireAuthenticatedUser())
            .AddPolicy(ApiClaims.PlatformPolicy, p => p.AddAuthenticationSchemes(ApiClaims.Scheme).RequireClaim(ApiClaims.Platform))
            .AddPolicy(ApiClaims.HostUserPolicy, p => p.RequireAuthenticatedUser());
        services.DecorateAuthorizationResultHandler();
        // The policy answers its own rejections (429, Retry-After): the host's limiters keep their rejection status.
        services.AddRateLimiter(o => o.AddPolicy<string, ApiKeyRateLimitPolicy>(ApiKeyRateLimitPolicy.Name));
        return services;
    }

    /// <summary>
    /// Maps every endpoint: at <c>/api/v1/…</c>, or under <paramref name="prefix"/> (<c>"/platform/webhooks"</c> puts
    /// them at <c>/platform/webhooks/api/v1/…</c>, in the OpenAPI document too, and maps nothing outside it).
    /// </summary>
    /// <returns>The route group the endpoints were mapped in (under the prefix, if any).</returns>
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes, string? prefix = null)
    {
        var mount = string.IsNullOrEmpty(prefix) || prefix == "/" ? "" : "/" + prefix.Trim('/');
        var api = routes.MapGroup(mount).WithMetadata(new WebhooksApiMount(mount));
        routes.ServiceProvider.GetRequiredService<WebhooksApiMounts>().Add(mount);

        api.MapWebhooks();
        api.MapTenants();
        api.MapEvents();
        api.MapCredentials();
        return api;
    }

    // Wraps whichever result handler is registered by now (the framework's, or one of the host's registered earlier).
    private static void DecorateAuthorizationResultHandler(this IServiceCollection services)
    {
        var inner = services.Last(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler));
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler>(sp => new ProblemAuthorizationResultHandler(
            (IAuthorizationMiddlewareResultHandler)(inner.ImplementationInstance
                ?? inner.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!)),
            sp.GetRequiredService<IProblemDetailsService>())));
    }
}
