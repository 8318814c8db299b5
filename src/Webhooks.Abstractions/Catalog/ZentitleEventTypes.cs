
namespace Webhooks.Abstractions.Catalog;

/// <summary>The Zentitle2 event catalog: the default, so Zentitle clients and listeners work unchanged.</summary>
public static class ZentitleEventTypes
{
    public static IReadOnlyList<EventType> All { get; } =
    [
        E("customer.created", "customer", "A customer was created."),
        E("customer.updated", "customer", "A customer was updated."),
        E("entitlement.created", "entitlement", "An entitlement was created."),
        E("entitlement.updated", "entitlement", "An entitlement was updated."),
        E("entitlement.activated", "entitlement", "An entitlement was activated."),
        E("entitlement.renewed", "entitlement", "An entitlement was renewed."),
        E("entitlement.expired", "entitlement", "An entitlement expired."),
        E("entitlement.expires1day", "entitlement", "An entitlement expires in 1 day."),
        E("entitlement.expires7days", "entitlement", "An entitlement expires in 7 days."),
        E("entitlement.expires30days", "entitlement", "An entitlement expires in 30 days."),
        E("entitlement.maintenance.expired", "entitlement", "An entitlement's maintenance expired."),
        E("entitlement.maintenance.expires1day", "entitlement", "An entitlement's maintenance expires in 1 day."),
        E("entitlement.maintenance.expires7days", "entitlement", "An entitlement's maintenance expires in 7 days."),
        E("entitlement.maintenance.expires30days", "entitlement", "An entitlement's maintenance expires in 30 days."),
        E("entitlement.provision", "entitlement", "An entitlement was provisioned."),
        E("entitlement.seat.activated", "entitlement", "A seat of an entitlement was activated."),
        E("entitlement.seat.deactivated", "entitlement", "A seat of an entitlement was deactivated."),
        E("entitlement.usage.summary", "entitlement", "A usage summary of an entitlement is available."),
        E("entitlement.group.created", "entitlementGroup", "An entitlement group was created."),
        E("entitlement.group.updated", "entitlementGroup", "An entitlement group was updated."),
    ];

    private static EventType E(string code, string type, string description) => new() { Code = code, Type = type, Description = description };
}
