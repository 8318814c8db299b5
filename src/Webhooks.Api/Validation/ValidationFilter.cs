using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Validation;

/// <summary>Runs the registered <see cref="IRequestValidator{T}"/> on an endpoint's body before its handler; 422 when invalid.</summary>
public static class ValidationFilter
{
    /// <remarks>
    /// The endpoint's document lists what a body can be answered with: 400 (not JSON, or the wrong shape), 413 (over the
    /// size limit), 415 (not <c>application/json</c>) and 422 (invalid fields).
    /// </remarks>
    /// <param name="builder">The endpoint.</param>
    /// <param name="bodyRequired">False for an endpoint whose body may be left out; then only a body that is sent is validated.</param>
    public static RouteHandlerBuilder Validates<T>(this RouteHandlerBuilder builder, bool bodyRequired = true) where T : class =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var body = context.Arguments.OfType<T>().FirstOrDefault();
                if (body is null)
                {
                    return bodyRequired ? ApiProblem.BadRequest("A JSON request body is required.") : await next(context);
                }

                var errors = context.HttpContext.RequestServices.GetRequiredService<IRequestValidator<T>>().Validate(body);
                return errors.Count > 0 ? ApiProblem.Validation(errors) : await next(context);
            })
            .ProducesJsonBodyProblems()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>Documents the answers to a JSON body that cannot be read: 400, 413 and 415.</summary>
    public static RouteHandlerBuilder ProducesJsonBodyProblems(this RouteHandlerBuilder builder) =>
        builder
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
