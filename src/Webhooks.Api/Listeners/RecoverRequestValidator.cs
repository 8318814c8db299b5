using Webhooks.Api.Validation;

namespace Webhooks.Api.Listeners;

/// <summary>A recovery needs a point in time to start from, and an end, if given, after it.</summary>
public sealed class RecoverRequestValidator : IRequestValidator<RecoverRequest>
{
    public IReadOnlyDictionary<string, string> Validate(RecoverRequest request)
    {
        var errors = new Dictionary<string, string>();
        if (request.Since is null)
        {
            errors["since"] = "Give the time (ISO-8601) from which failed deliveries are re-queued.";
        }
        else if (request.Until <= request.Since)
        {
            errors["until"] = "The end (exclusive) must come after since.";
        }

        return errors;
    }
}
