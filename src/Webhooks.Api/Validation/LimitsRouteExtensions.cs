using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Limits;

namespace Webhooks.Api.Validation;

/// <summary>Reads the limits while endpoints are mapped, for metadata that is fixed per endpoint (body size caps).</summary>
internal static class LimitsRouteExtensions
{
    public static WebhooksLimitsOptions Limits(this IEndpointRouteBuilder routes) =>
        routes.ServiceProvider.GetRequiredService<IOptions<WebhooksLimitsOptions>>().Value;
}
