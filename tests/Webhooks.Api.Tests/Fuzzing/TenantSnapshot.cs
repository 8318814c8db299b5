using System.Net;
using System.Text;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// Everything the API shows of one tenant, as the exact JSON text of its GET responses: the tenant, its listeners
/// one by one and as a list, each listener's delivery log, its credentials and its key set.
/// </summary>
public static class TenantSnapshot
{
    public static async Task<string> TakeAsync(HttpClient tenant, HttpClient platform, string tenantId, IEnumerable<string> listenerIds)
    {
        var snapshot = new StringBuilder();
        var paths = new List<(HttpClient Client, string Path)>
        {
            (platform, $"api/v1/tenants/{tenantId}"),
            (tenant, $"{WebhooksClient.Route}?pageSize=100"),
            (tenant, "api/v1/account/credentials"),
            (tenant, $".well-known/webhooks/{tenantId}/jwks.json"),
            (tenant, "api/v1/events?limit=1000"),
        };
        foreach (var id in listenerIds)
        {
            paths.Add((tenant, $"{WebhooksClient.Route}/{id}"));
            paths.Add((tenant, $"{WebhooksClient.Route}/{id}/deliveries?pageSize=100"));
        }

        foreach (var (client, path) in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            snapshot.Append(path).Append('\n').Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        return snapshot.ToString();
    }
}
