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
