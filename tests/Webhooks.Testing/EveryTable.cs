using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Webhooks.Testing;

/// <summary>
/// Reads every row of every table of a database, whatever its schema, as an operator would: the tables come from the
/// database's own catalogue (<c>sqlite_master</c>, <c>information_schema</c>), so a table added later is read too.
/// </summary>
public static class EveryTable
{
    /// <summary>
    /// Every table the server creates, with what ties one of its rows to a tenant. A table missing here fails the tests
    /// that read every table: whoever adds one must say how a tenant's rows are found in it, and remove them on a
    /// tenant's deletion (<c>TenantTables</c> in Webhooks.Grains).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["OrleansQuery"] = "none: the providers' statements",
        ["OrleansStorage"] = "the grain id's key (tenant, router and listener grains) and the state's JSON",
        ["WebhooksGrainState"] = "GrainId (tenant/t_…, router/t_…, webhook/wh_…) and the state's JSON",
        ["WebhooksDeliveries"] = "ListenerId, and the record's JSON",
        ["WebhooksAcceptedEvents"] = "TenantId",
        ["WebhooksEvents"] = "TenantId, EventId and the payload",
        ["WebhooksEventOutcomes"] = "Seq (its event's, removed with it) and the ids of the listeners that queued the event",
        ["WebhooksDeliveryJournal"] = "ListenerId, and the record's JSON (changes not yet folded into WebhooksDeliveries)",
        ["OrleansRemindersTable"] = "GrainId (none since the wake-up list; earlier versions' reminders)",
        ["WebhooksWakeUps"] = "GrainId (a listener with pending deliveries, a tenant being deleted)",
        ["OrleansMembershipTable"] = "none: the cluster's silos",
        ["OrleansMembershipVersionTable"] = "none: the cluster's membership version",
        ["WebhooksDataProtectionKeys"] = "none: the service's key ring",
        ["webhooks_schema_version"] = "none: the schema's version",
    };

    /// <summary>Every row of every table, each cell as text (byte strings decoded as UTF-8), by table name.</summary>
    public static async Task<Dictionary<string, List<string[]>>> ReadAsync(bool postgreSql, string connectionString)
    {
        await using DbConnection connection = postgreSql ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var catalogue = postgreSql
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE';"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';";
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = catalogue;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new Dictionary<string, List<string[]>>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\";";
            await using var reader = await command.ExecuteReaderAsync();
            var list = rows[table] = [];
            while (await reader.ReadAsync())
            {
                var cells = new string[reader.FieldCount];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = reader.IsDBNull(i) ? "" : reader.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                }

                list.Add(cells);
            }
        }

        return rows;
    }

    /// <summary>Per table, how many rows hold any of <paramref name="needles"/> in any cell; tables with none are left out.</summary>
    public static Dictionary<string, int> RowsHolding(Dictionary<string, List<string[]>> tables, IReadOnlyCollection<string> needles) =>
        tables.Select(t => (t.Key, Count: t.Value.Count(row => row.Any(cell => needles.Any(n => cell.Contains(n, StringComparison.Ordinal))))))
            .Where(t => t.Count > 0)
            .ToDictionary(t => t.Key, t => t.Count, StringComparer.OrdinalIgnoreCase);
}
