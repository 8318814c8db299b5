using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Publishing;

/// <summary>
/// The publishing rules for the event's fields, checked before the handler reads the payload; the publisher applies
/// the same rules again, with the payload's, so nothing here is a rule of its own.
/// </summary>
public sealed class PublishEventRequestValidator(WebhookEventRules rules) : IRequestValidator<PublishEventRequest>
{
    public IReadOnlyDictionary<string, string> Validate(PublishEventRequest request) =>
        rules.ValidateFields(request.EventId, request.EventCode, request.ResourceId);
}
