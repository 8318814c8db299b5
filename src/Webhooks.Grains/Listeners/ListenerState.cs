using System.Collections.Immutable;

namespace Webhooks.Listeners;

/// <summary>The persisted state of one listener. A deleted listener keeps a tombstone so late router messages stay fenced.</summary>
[GenerateSerializer, Alias("webhooks.ListenerState")]
public sealed class ListenerState
{
    [Id(0)] public string? TenantId { get; set; }
    [Id(1)] public string? Uri { get; set; }
    [Id(2)] public ImmutableArray<string> Subscriptions { get; set; } = [];
    [Id(3)] public string? Description { get; set; }
    [Id(4)] public bool Enabled { get; set; } = true;
    [Id(5)] public string? DisabledReason { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(8)] public bool Deleted { get; set; }

    /// <summary>The last router operation applied here.</summary>
    [Id(9)] public Guid LastOperationId { get; set; }

    /// <summary>Router operations resolved as "did not happen"; they are refused if they ever arrive.</summary>
    [Id(10)] public List<Guid> FencedOperationIds { get; set; } = [];

    public bool Exists => TenantId is not null && !Deleted;
}
