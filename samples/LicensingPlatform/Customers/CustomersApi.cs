using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LicensingPlatform.Customers;

/// <summary>Sign-up and sign-in: <c>POST /customers</c> and <c>POST /session</c>, anonymous.</summary>
public static class CustomersApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/customers", SignUpAsync).WithName("SignUp").WithSummary("Creates a customer account, with its webhooks tenant, and signs it in.");
        routes.MapPost("/session", SignInAsync).WithName("SignIn").WithSummary("Signs a customer in (the PlatformSession cookie).");
        return routes;
    }

    private static async Task<Created<CustomerModel>> SignUpAsync(SignUpRequest request, IGrainFactory grains, HttpContext context)
    {
        var id = CustomerGrain.NewId();
        var tenantId = await grains.GetGrain<ICustomerGrain>(id).CreateAsync(request.Name!, request.Password!)
            ?? throw new InvalidOperationException("A new customer id was taken.");
        await PlatformSession.SignInAsync(context, id, tenantId);
        return TypedResults.Created($"/customers/{id}", new CustomerModel(id, tenantId));
    }

    private static async Task<Results<NoContent, UnauthorizedHttpResult>> SignInAsync(SignInRequest request, IGrainFactory grains, HttpContext context)
    {
        if (string.IsNullOrEmpty(request.CustomerId) || string.IsNullOrEmpty(request.Password)
            || await grains.GetGrain<ICustomerGrain>(request.CustomerId).SignInAsync(request.Password) is not { } tenantId)
        {
            return TypedResults.Unauthorized();
        }

        await PlatformSession.SignInAsync(context, request.CustomerId, tenantId);
        return TypedResults.NoContent();
    }
}

/// <summary>The body of <c>POST /customers</c>.</summary>
public sealed record SignUpRequest([property: Required, StringLength(200, MinimumLength = 1)] string? Name, [property: Required, StringLength(200, MinimumLength = 8)] string? Password);

/// <summary>The body of <c>POST /session</c>.</summary>
public sealed record SignInRequest(string? CustomerId, string? Password);

/// <summary>A new customer: its id and the webhooks tenant its listeners belong to.</summary>
public sealed record CustomerModel(string Id, string WebhooksTenantId);
