namespace Webhooks.Api.Deliveries;

/// <summary>The optional body of <c>enable</c>: whether the deliveries parked while the listener was disabled are delivered (the default) or skipped.</summary>
public sealed record EnableRequest(bool? ReplayParked = null);
