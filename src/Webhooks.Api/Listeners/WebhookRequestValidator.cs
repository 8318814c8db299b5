using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Limits;
using Webhooks.Abstractions.Listeners;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Listeners;

/// <summary>The rules of the compatible API for a listener, plus our own limits.</summary>
public sealed class WebhookRequestValidator(EventCatalog catalog, IOptions<WebhooksLimitsOptions> limits) : IRequestValidator<WebhookRequest>
{
    public const int MaxUriLength = 2048;
    public const int MaxDescriptionLength = 1024;
    public const double MinDeliveriesPerSecond = 0.01;
    public const double MaxDeliveriesPerSecond = 10_000;

    public IReadOnlyDictionary<string, string> Validate(WebhookRequest request)
    {
        var errors = new Dictionary<string, string>();
        if (UriError(request.Uri) is { } uriError)
        {
            errors["uri"] = uriError;
        }

        if (SubscriptionsError(request.Subscriptions) is { } subscriptionsError)
        {
            errors["subscriptions"] = subscriptionsError;
        }

        if (request.Description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = $"The description must be at most {MaxDescriptionLength} characters.";
        }

        if (request.MaxDeliveriesPerSecond is { } rate && rate is not (>= MinDeliveriesPerSecond and <= MaxDeliveriesPerSecond))
        {
            errors["maxDeliveriesPerSecond"] =
                $"The maxDeliveriesPerSecond must be between {MinDeliveriesPerSecond} and {MaxDeliveriesPerSecond:0}, or null for no limit.";
        }

        if (request.Headers is { } headers && ListenerHeaderRules.Error(headers) is { } headersError)
        {
            errors["headers"] = headersError;
        }

        if (!WebhookOrdering.TryParse(request.Ordering, out _))
        {
            errors["ordering"] = $"The ordering must be one of {string.Join(", ", WebhookOrdering.Values.Select(v => $"\"{v}\""))}, or null for \"{WebhookOrdering.None}\".";
        }

        if (WebhookSignatures.Parse(request.Signatures, out var signaturesError) is null)
        {
            errors["signatures"] = signaturesError!;
        }

        return errors;
    }

    private static string? UriError(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return "The uri is required.";
        }

        if (uri.Length > MaxUriLength)
        {
            return $"The uri must be at most {MaxUriLength} characters.";
        }

        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != System.Uri.UriSchemeHttp && parsed.Scheme != System.Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host))
        {
            return "The uri must be an absolute http or https URI.";
        }

        return null;
    }

    private string? SubscriptionsError(string?[]? subscriptions)
    {
        if (subscriptions is null || subscriptions.Length == 0)
        {
            return "Subscribe to at least one event code (or \"*\" for all events).";
        }

        var max = limits.Value.MaxSubscriptionsPerListener;
        if (subscriptions.Length > max)
        {
            return $"At most {max} subscriptions are allowed ({WebhooksLimitsOptions.Section}:{nameof(WebhooksLimitsOptions.MaxSubscriptionsPerListener)}).";
        }

        var unknown = subscriptions.Where(code => code is null || !catalog.IsSubscribable(code)).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            var shown = string.Join(", ", unknown.Take(5).Select(code => code is null ? "null" : $"\"{Shorten(code)}\""));
            return $"Unknown event code(s): {shown}. See GET api/v1/account/webhooks/events for the catalog.";
        }

        return null;
    }

    private static string Shorten(string code) => code.Length <= 64 ? code : code[..64] + "…";
}
