using System.Net.Http.Headers;

namespace Webhooks.Client.Credentials;

/// <summary>Puts the API key and, when set, the tenant id on every request that does not carry its own.</summary>
internal sealed class CredentialsHandler(string apiKey, string? tenantId) : DelegatingHandler
{
    public const string TenantHeader = "N-TenantId";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", apiKey);
        if (tenantId is not null && !request.Headers.Contains(TenantHeader))
        {
            request.Headers.Add(TenantHeader, tenantId);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
