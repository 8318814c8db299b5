namespace Webhooks.Grains.Storage;

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
