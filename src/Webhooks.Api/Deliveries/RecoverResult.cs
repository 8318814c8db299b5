namespace Webhooks.Api.Deliveries;

/// <summary>How many failed deliveries were re-queued.</summary>
public sealed record RecoverResult(int Requeued);
