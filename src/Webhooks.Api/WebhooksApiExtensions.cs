using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Api.Auth;
using Webhooks.Api.Deliveries;
using Webhooks.Api.Publishing;
using Webhooks.Api.Errors;
using Webhooks.Api.Limits;
using Webhooks.Api.Listeners;
using Webhooks.Api.Tenants;
using Webhooks.Api.Validation;
using Webhooks.Publishing;

namespace Webhooks.Api;

/// <summary>Registers and maps the whole HTTP API.</summary>
public static class WebhooksApiExtensions
{
    public static IServiceCollection AddWebhooksApi(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.PlatformKey) && environment.IsDevelopment())
                {
                    o.PlatformKey = AuthOptions.DevelopmentPlatformKey;
                }
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.PlatformKey),
                "Webhooks:Auth:PlatformKey must be configured outside the Development environment.")
            .Validate(o => environment.IsDevelopment() || o.PlatformKey != AuthOptions.DevelopmentPlatformKey,
                "The development platform key may not be used outside the Development environment.")
            .ValidateOnStart();
        services.AddOptions<ApiLimitsOptions>().BindConfiguration(ApiLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddWebhookPublishing();
        services.AddSingleton<IRequestValidator<WebhookRequest>, WebhookRequestValidator>();
        services.AddSingleton<IRequestValidator<CreateTenantRequest>, CreateTenantRequestValidator>();
        services.AddSingleton<IRequestValidator<CreateApiKeyRequest>, CreateApiKeyRequestValidator>();
        services.AddSingleton<IRequestValidator<PublishEventRequest>, PublishEventRequestValidator>();
        services.AddSingleton<IRequestValidator<RecoverRequest>, RecoverRequestValidator>();

        // Binding failures (bad JSON, a query value of the wrong type, an oversized body) reach the exception
        // handler in every environment, so every client error has the same problem body.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Ours first: the service uses the first writer that accepts, and ours accepts whatever the client asked for.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsSetup.Customize);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddAuthentication(ApiClaims.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiClaims.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiClaims.AnyKeyPolicy, p => p.RequireAuthenticatedUser())
            .AddPolicy(ApiClaims.PlatformPolicy, p => p.RequireClaim(ApiClaims.Platform));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, ApiKeyRateLimitPolicy>(ApiKeyRateLimitPolicy.Name);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        routes.MapWebhooks();
        routes.MapTenants();
        routes.MapEvents();
        routes.MapCredentials();
        return routes;
    }
}
