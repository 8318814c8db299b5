using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Validation;

/// <summary>Runs the registered <see cref="IRequestValidator{T}"/> on an endpoint's body before its handler; 422 when invalid.</summary>
public static class ValidationFilter
{
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
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
}
