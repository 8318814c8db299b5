
namespace Webhooks.Abstractions.Listeners;

/// <summary>
/// One change to a listener, ordered by its tenant's router. <see cref="Definition"/> is null for a delete.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.ListenerChange")]
public sealed record ListenerChange(
    [property: Id(0)] Guid OperationId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] ListenerDefinition? Definition);

/// <summary>A listener just created, with its signing secret: the only time the secret is shown.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.CreatedListener")]
public sealed record CreatedListener(
    [property: Id(0)] ListenerView Listener,
    [property: Id(1)] string Secret);

/// <summary>
/// Whether a router operation took effect on the listener, and what the listener holds now. <see cref="Secret"/> is
/// the signing secret the listener made for itself, on the change that created it; never again.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.ListenerResolution")]
public sealed record ListenerResolution(
    [property: Id(0)] bool Applied,
    [property: Id(1)] ListenerView? Current,
    [property: Id(2)] string? Secret = null);
