using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Server.Document;

/// <summary>Describes the API as a whole: its title and purpose, what each tag groups, and servers as the standard writes them.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Webhooks"] = "The tenant's webhook listeners, compatible with the Zentitle2 management API: add, list, get, edit, delete and test them, "
            + "read the event catalog, and act on deliveries (log, redelivery, recovery, secret rotation, disabling and enabling).",
        ["Events"] = "Publishing events for delivery, and reading the tenant's accepted events back in acceptance order.",
        ["Tenants"] = "Tenants and their API keys, for the platform: these operations take the platform key only.",
        ["Account"] = "What a tenant's listeners need to verify the N-Signature header of a delivery.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "Webhooks.Orleans API";
        document.Info.Description =
            "Manages webhook listeners and publishes the events they receive. Every request carries 'Authorization: Bearer <API key>'; "
            + "the platform key acts for a tenant named in the N-TenantId header. Every error is an RFC 9457 problem "
            + "(application/problem+json) that also carries the compatible fields errorCode, error, details and validationErrors.";

        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        // The server URL comes from the request's base ("http://host/"); paths already start with '/', and the standard
        // joins them to a URL without a trailing slash.
        foreach (var server in document.Servers ?? Enumerable.Empty<OpenApiServer>())
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
            {
                server.Url = url.TrimEnd('/');
            }
        }

        return Task.CompletedTask;
    }
}
