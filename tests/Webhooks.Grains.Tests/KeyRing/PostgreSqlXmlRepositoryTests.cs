using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.KeyRing;

/// <summary><see cref="PostgreSqlXmlRepository"/> against a real PostgreSQL, each test on a database of its own.</summary>
public sealed class PostgreSqlXmlRepositoryTests : IAsyncLifetime
{
    private readonly List<PostgreSqlDatabase> _databases = [];
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(_connectionString, NullLogger.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public void StoredElements_AreReadBack_AllOfThem_InTheOrderTheyWereStored()
    {
        var repository = Repository("webhooks");
        Assert.Empty(repository.GetAllElements());

        var elements = Enumerable.Range(0, 3).Select(i => new XElement("key", new XAttribute("id", i), new XElement("value", "secret " + i))).ToList();
        repository.StoreElement(elements[0], "key-0");
        repository.StoreElement(elements[1], "key-1");
        repository.StoreElement(elements[2], "key-0"); // Data Protection's friendly names need not be unique

        Assert.Equal(elements.Select(e => e.ToString()), Repository("webhooks").GetAllElements().Select(e => e.ToString()));
    }

    [Fact]
    public void TwoServicesInOneDatabase_EachReadOnlyTheirOwnRing()
    {
        Repository("first").StoreElement(new XElement("key", "of the first"), "key-1");
        Repository("second").StoreElement(new XElement("key", "of the second"), "key-2");

        Assert.Equal("of the first", Assert.Single(Repository("first").GetAllElements()).Value);
        Assert.Equal("of the second", Assert.Single(Repository("second").GetAllElements()).Value);
        Assert.Empty(Repository("third").GetAllElements());
    }

    private PostgreSqlXmlRepository Repository(string serviceId)
    {
        var database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = _connectionString }));
        _databases.Add(database);
        return new PostgreSqlXmlRepository(database, Options.Create(new ClusterOptions { ServiceId = serviceId }));
    }
}
