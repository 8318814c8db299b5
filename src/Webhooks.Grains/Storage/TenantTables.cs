namespace Webhooks.Grains.Storage;

/// <summary>
/// The tables the server writes itself that hold rows of a tenant, each with the column that says whose a row is: what
/// a tenant's deletion removes besides grain state and reminders. A table added later is one more line here.
/// </summary>
public static class TenantTables
{
    /// <summary>Tables whose rows belong to one listener: emptied for each of the tenant's listeners.</summary>
    public static readonly IReadOnlyList<TenantTable> ByListener =
    [
        new("WebhooksDeliveries", "ListenerId", "Seq"),
    ];

    /// <summary>Tables whose rows name the tenant: emptied once the tenant's listeners are gone.</summary>
    public static readonly IReadOnlyList<TenantTable> ByTenant =
    [
        new("WebhooksAcceptedEvents", "TenantId", "EventId"),
        new("WebhooksEvents", "TenantId", "Seq"),
    ];
}

/// <summary>
/// A table keyed by (ServiceId, <paramref name="Owner"/>, <paramref name="Row"/>, …): <paramref name="Owner"/> holds the
/// listener or tenant id, and <paramref name="Row"/> tells that owner's rows apart.
/// </summary>
public sealed record TenantTable(string Name, string Owner, string Row)
{
    /// <summary>
    /// Removes up to <c>$3</c> rows of owner <c>$2</c> in service <c>$1</c>; the same text on SQLite and PostgreSQL. A
    /// bounded batch per statement, so removing a large tenant never holds a long transaction or the SQLite writer.
    /// </summary>
    public string RemoveBatch { get; } =
        $"DELETE FROM {Name} WHERE ServiceId = $1 AND {Owner} = $2 AND {Row} IN (SELECT {Row} FROM {Name} WHERE ServiceId = $1 AND {Owner} = $2 LIMIT $3);";
}
