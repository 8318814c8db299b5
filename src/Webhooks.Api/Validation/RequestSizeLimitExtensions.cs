using Microsoft.AspNetCore.Builder;

namespace Webhooks.Api.Validation;

/// <summary>Applies a <see cref="RequestSizeLimit"/> to an endpoint or a group of endpoints.</summary>
public static class RequestSizeLimitExtensions
{
    public static TBuilder WithRequestSizeLimit<TBuilder>(this TBuilder builder, long maxBytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimit(maxBytes));
}
