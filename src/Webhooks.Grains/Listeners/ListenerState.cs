using System.Collections.Immutable;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Listeners;

/// <summary>The persisted state of one listener. A deleted listener keeps a tombstone so late router messages stay fenced.</summary>
[GenerateSerializer, Alias("webhooks.ListenerState")]
public sealed class ListenerState
{
    [Id(0)] public string? TenantId { get; set; }
    [Id(1)] public string? Uri { get; set; }
    [Id(2)] public ImmutableArray<string> Subscriptions { get; set; } = [];
    [Id(3)] public string? Description { get; set; }

    // Ids 4 and 5 held the enabled flag, which now lives with the delivery state.
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(8)] public bool Deleted { get; set; }

    /// <summary>The last router operation applied here.</summary>
    [Id(9)] public Guid LastOperationId { get; set; }

    /// <summary>Router operations resolved as "did not happen"; they are refused if they ever arrive.</summary>
    [Id(10)] public List<Guid> FencedOperationIds { get; set; } = [];

    /// <summary>The Standard Webhooks secret, protected by Data Protection: ciphertext at rest.</summary>
    [Id(11)] public string? ProtectedSecret { get; set; }

    /// <summary>The secret before the last rotation, which keeps signing until <see cref="PreviousSecretExpiresAt"/>.</summary>
    [Id(12)] public string? PreviousProtectedSecret { get; set; }

    [Id(13)] public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>At most this many attempts a second to the listener (a token bucket in the grain); null: no limit.</summary>
    [Id(14)] public double? MaxDeliveriesPerSecond { get; set; }

    /// <summary>What order the listener's deliveries keep (<see cref="ListenerOrdering"/>); stored as its number.</summary>
    [Id(15)] public ListenerOrdering Ordering { get; set; }

    /// <summary>The listener's own request headers as JSON, protected by Data Protection; null when it has none.</summary>
    [Id(20)] public string? ProtectedHeaders { get; set; }

    /// <summary>Which signatures the listener's requests carry; 0 (both) for a listener stored before the choice existed.</summary>
    [Id(21)] public ListenerSignatures Signatures { get; set; }

    public bool Exists => TenantId is not null && !Deleted;
}
