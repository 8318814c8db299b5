using System.Text.RegularExpressions;
using LicensingPlatform.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LicensingPlatform.Entitlements;

/// <summary>The signed-in customer's entitlements: <c>/entitlements/{id}</c>, behind the platform's own session.</summary>
public static partial class EntitlementsApi
{
    /// <summary>The most seats one entitlement may have.</summary>
    public const int MaxSeats = 100_000;

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapEntitlements(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/entitlements").RequireAuthorization().WithTags("Entitlements");
        group.MapPut("{entitlementId}/seats", SetSeatsAsync).WithName("SetSeats")
            .WithSummary("Creates the entitlement with these seats, or changes its seats; each change is published as a webhook.");
        group.MapGet("{entitlementId}", GetAsync).WithName("GetEntitlement").WithSummary("Gets an entitlement.");
        return group;
    }

    private static async Task<Results<Ok<EntitlementView>, ValidationProblem>> SetSeatsAsync(
        string entitlementId, SeatsRequest request, IGrainFactory grains, HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        if (!EntitlementIdShape().IsMatch(entitlementId))
        {
            errors["entitlementId"] = ["1 to 64 letters, digits, '_' or '-'."];
        }

        if (request.Seats is not (>= 1 and <= MaxSeats))
        {
            errors["seats"] = [$"Between 1 and {MaxSeats}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var user = context.User;
        var view = await grains.GetGrain<IEntitlementGrain>(EntitlementGrain.Key(user.CustomerId(), entitlementId)).SetSeatsAsync(user.TenantId(), request.Seats!.Value);
        return TypedResults.Ok(view);
    }

    // Keyed by the signed-in customer: another customer's entitlement of the same id is simply not theirs to see.
    private static async Task<Results<Ok<EntitlementView>, NotFound>> GetAsync(string entitlementId, IGrainFactory grains, HttpContext context) =>
        EntitlementIdShape().IsMatch(entitlementId)
        && await grains.GetGrain<IEntitlementGrain>(EntitlementGrain.Key(context.User.CustomerId(), entitlementId)).GetAsync() is { } view
            ? TypedResults.Ok(view)
            : TypedResults.NotFound();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex EntitlementIdShape();
}

/// <summary>The body of <c>PUT /entitlements/{id}/seats</c>.</summary>
public sealed record SeatsRequest(int? Seats);
