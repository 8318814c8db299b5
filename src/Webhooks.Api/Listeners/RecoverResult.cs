namespace Webhooks.Api.Listeners;

/// <summary>How many failed deliveries were re-queued.</summary>
public sealed record RecoverResult(int Requeued);
