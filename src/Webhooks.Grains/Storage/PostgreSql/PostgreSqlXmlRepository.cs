using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// The Data Protection key ring in the server's PostgreSQL database (table <c>webhooksdataprotectionkeys</c>,
/// schema 007), one row per element, scoped to the Orleans service id: every silo of a service reads and writes
/// the same ring, with no shared volume.
/// </summary>
/// <remarks>
/// Data Protection calls these methods synchronously, rarely (a read when the ring is loaded or refreshed, a
/// write when a key is created or revoked), so they block on the server's own data source. What is stored is
/// what the key manager hands over: already encrypted when an XML encryptor (the operator's certificate) is set.
/// </remarks>
internal sealed class PostgreSqlXmlRepository(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : IXmlRepository
{
    private const string ReadAll = "SELECT xml FROM webhooksdataprotectionkeys WHERE serviceid = $1 ORDER BY seq;";

    private const string Store = "INSERT INTO webhooksdataprotectionkeys (serviceid, friendlyname, xml) VALUES ($1, $2, $3);";

    private readonly NpgsqlDataSource _database = database.DataSource;
    private readonly string _serviceId = cluster.Value.ServiceId;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = _database.CreateCommand(ReadAll);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = _database.CreateCommand(Store);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
