namespace Webhooks.Api.Publishing;

/// <summary>Where one listener's delivery of the event stands (as in its delivery log), and how many attempts it took so far.</summary>
public sealed record EventDeliveryModel(string WebhookListenerId, string Status, int Attempts);
