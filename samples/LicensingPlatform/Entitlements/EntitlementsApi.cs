using System.ComponentModel.DataAnnotations;
using LicensingPlatform.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LicensingPlatform.Entitlements;

/// <summary>The signed-in customer's entitlements: <c>/entitlements/{id}</c>, behind the platform's own session.</summary>
public static class EntitlementsApi
{
    /// <summary>The most seats one entitlement may have.</summary>
    public const int MaxSeats = 100_000;

    /// <summary>The shape of an entitlement id, the customer's own: 1 to 64 letters, digits, '_' or '-'.</summary>
    public const string EntitlementId = "^[A-Za-z0-9_-]{1,64}$";

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapEntitlements(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/entitlements").RequireAuthorization().WithTags("Entitlements");
        group.MapPut("{entitlementId}/seats", SetSeatsAsync).WithName("SetSeats")
            .WithSummary("Creates the entitlement with these seats, or changes its seats; each change is published as a webhook.");
        group.MapGet("{entitlementId}", GetAsync).WithName("GetEntitlement").WithSummary("Gets an entitlement.");
        return group;
    }

    private static async Task<Ok<EntitlementView>> SetSeatsAsync(
        [RegularExpression(EntitlementId)] string entitlementId, SeatsRequest request, IGrainFactory grains, HttpContext context)
    {
        var user = context.User;
        var view = await grains.GetGrain<IEntitlementGrain>(EntitlementGrain.Key(user.CustomerId(), entitlementId)).SetSeatsAsync(user.TenantId(), request.Seats!.Value);
        return TypedResults.Ok(view);
    }

    // Keyed by the signed-in customer: another customer's entitlement of the same id is simply not theirs to see.
    private static async Task<Results<Ok<EntitlementView>, NotFound>> GetAsync(
        [RegularExpression(EntitlementId)] string entitlementId, IGrainFactory grains, HttpContext context) =>
        await grains.GetGrain<IEntitlementGrain>(EntitlementGrain.Key(context.User.CustomerId(), entitlementId)).GetAsync() is { } view
            ? TypedResults.Ok(view)
            : TypedResults.NotFound();
}

/// <summary>The body of <c>PUT /entitlements/{id}/seats</c>.</summary>
public sealed record SeatsRequest([property: Required, Range(1, EntitlementsApi.MaxSeats)] int? Seats);
