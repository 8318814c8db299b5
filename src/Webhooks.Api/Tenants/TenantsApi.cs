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

/// <summary>Tenant management for the platform: <c>api/v1/tenants</c>, platform key only.</summary>
public static class TenantsApi
{
    public static RouteGroupBuilder MapTenants(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("api/v1/tenants")
            .RequirePlatformCaller(routes)
            .WithTags("Tenants")
            .WithRequestSizeLimit(routes.Limits().MaxManagementBodyBytes);

        group.MapPost("", CreateAsync)
            .Validates<CreateTenantRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateTenant")
            .WithSummary("Creates a tenant and returns its first API key (shown once).");

        group.MapGet("{tenantId}", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetTenant")
            .WithSummary("Gets a tenant.");

        group.MapDelete("{tenantId}", DeleteAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("DeleteTenant")
            .WithSummary("Deletes a tenant: its keys, publishes and deliveries stop at once; its data is removed in the background (status 'deleting', then 404).");

        group.MapApiKeys();

        return group;
    }

    private static async Task<Results<Created<TenantCreatedModel>, ProblemHttpResult>> CreateAsync(CreateTenantRequest body, IGrainFactory grains, HttpContext context)
    {
        var id = ResourceIds.NewTenantId();
        var created = await grains.GetGrain<ITenantGrain>(id).CreateAsync(body.Name!.Trim());
        if (created is null)
        {
            return ApiProblem.Conflict("A tenant with this id already exists; retry.");
        }

        var tenant = created.Tenant;
        return TypedResults.Created(WebhooksApiEndpoint.Link(context, $"/api/v1/tenants/{tenant.Id}"), new TenantCreatedModel(tenant.Id, tenant.Name, tenant.CreatedAt, created.ApiKey));
    }

    private static async Task<Results<Ok<TenantModel>, ProblemHttpResult>> GetAsync(string tenantId, IGrainFactory grains)
    {
        var tenant = ResourceIds.IsTenantId(tenantId) ? await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() : null;
        return tenant is null
            ? ResourceNotFound.Tenant()
            : TypedResults.Ok(TenantModel.From(tenant));
    }

    // 202 at once, and again for a tenant already being deleted: the deletion is stored, and the rest follows on its own.
    private static async Task<Results<Accepted<TenantModel>, ProblemHttpResult>> DeleteAsync(string tenantId, IGrainFactory grains, HttpContext context)
    {
        var tenant = ResourceIds.IsTenantId(tenantId) ? await grains.GetGrain<ITenantGrain>(tenantId).DeleteAsync() : null;
        return tenant is null
            ? ResourceNotFound.Tenant()
            : TypedResults.Accepted(WebhooksApiEndpoint.Link(context, $"/api/v1/tenants/{tenant.Id}"), TenantModel.From(tenant));
    }
}
