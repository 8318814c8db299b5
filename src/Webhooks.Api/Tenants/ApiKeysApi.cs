using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Tenants;

/// <summary>
/// A tenant's API keys, for the platform: <c>api/v1/tenants/{tenantId}/keys</c>. Mapped inside the tenants group, so
/// it is platform-key only: a tenant key gets 403 whichever tenant it names (its own included), which says nothing
/// about whether that tenant exists.
/// </summary>
public static class ApiKeysApi
{
    private const int MaxKeyIdLength = 64;

    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder tenants)
    {
        var keys = tenants.MapGroup("{tenantId}/keys")
            .ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapPost("", CreateAsync)
            .Validates<CreateApiKeyRequest>(bodyRequired: false)
            .WithName("CreateApiKey")
            .WithSummary("Issues another API key for the tenant; the full key is in this response only.");

        keys.MapGet("", ListAsync)
            .WithName("ListApiKeys")
            .WithSummary("Lists the tenant's live API keys: id, name, prefix and creation time, never the secret.");

        keys.MapDelete("{keyId}", RevokeAsync)
            .WithName("RevokeApiKey")
            .WithSummary("Revokes an API key; it is refused (401) from the next request on.");

        return tenants;
    }

    private static async Task<Results<Created<ApiKeyCreatedModel>, ProblemHttpResult>> CreateAsync(
        string tenantId, CreateApiKeyRequest? body, IGrainFactory grains, HttpContext context)
    {
        var created = Tenant(grains, tenantId) is { } tenant ? await tenant.CreateKeyAsync(body?.Name?.Trim()) : null;
        if (created is null)
        {
            return ResourceNotFound.Tenant();
        }

        var key = created.Key;
        return TypedResults.Created(WebhooksApiEndpoint.Link(context, $"/api/v1/tenants/{tenantId}/keys"), new ApiKeyCreatedModel(key.Id, key.Name, key.Prefix, key.CreatedAt, created.ApiKey));
    }

    private static async Task<Results<Ok<ApiKeyListModel>, ProblemHttpResult>> ListAsync(string tenantId, IGrainFactory grains)
    {
        var list = Tenant(grains, tenantId) is { } tenant ? await tenant.ListKeysAsync() : null;
        return list is null
            ? ResourceNotFound.Tenant()
            : TypedResults.Ok(new ApiKeyListModel([.. list.Keys.Select(k => new ApiKeyModel(k.Id, k.Name, k.Prefix, k.CreatedAt))], list.Keys.Length));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string tenantId, string keyId, IGrainFactory grains)
    {
        var revoked = Tenant(grains, tenantId) is { } tenant
            && keyId.Length <= MaxKeyIdLength && ResourceIds.IsUrlSafeToken(keyId)
            && await tenant.RevokeKeyAsync(keyId);
        return revoked ? TypedResults.NoContent() : ApiProblem.NotFound("The tenant has no API key with this id.");
    }

    private static ITenantGrain? Tenant(IGrainFactory grains, string tenantId) =>
        ResourceIds.IsTenantId(tenantId) ? grains.GetGrain<ITenantGrain>(tenantId) : null;
}
