using Microsoft.AspNetCore.Http.Metadata;

namespace Webhooks.Api.Validation;

/// <summary>Caps the request body of the endpoints it is applied to; a larger body is answered with 413.</summary>
public sealed class RequestSizeLimit(long maxBytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxBytes;
}
