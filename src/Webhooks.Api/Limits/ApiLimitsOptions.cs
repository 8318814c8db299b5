using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Limits;

/// <summary>The HTTP API's caps on what one request may carry; configured in <c>Webhooks:Limits</c>.</summary>
public sealed class ApiLimitsOptions
{
    /// <summary>The configuration section (which also holds the silo's <c>MaxListenersPerTenant</c>).</summary>
    public const string Section = "Webhooks:Limits";

    /// <summary>The largest body of a management request (listeners, tenants, keys); a larger one is answered with 413.</summary>
    /// <value>The default is 65 536 (64 KiB).</value>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxManagementBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The largest body of <c>POST api/v1/events</c>; a larger one is answered with 413.</summary>
    /// <value>The default is 270 336 (264 KiB): a 256 KiB payload and room for the rest of the event.</value>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxPublishBodyBytes { get; set; } = (256 + 8) * 1024;

    /// <summary>Event codes one listener may subscribe to; more is a 422.</summary>
    /// <value>The default is 100.</value>
    [Range(1, 10_000)]
    public int MaxSubscriptionsPerListener { get; set; } = 100;
}

/// <summary>Reads the limits while endpoints are mapped, for metadata that is fixed per endpoint (body size caps).</summary>
internal static class ApiLimitsRouteExtensions
{
    public static ApiLimitsOptions Limits(this IEndpointRouteBuilder routes) =>
        routes.ServiceProvider.GetRequiredService<IOptions<ApiLimitsOptions>>().Value;
}
