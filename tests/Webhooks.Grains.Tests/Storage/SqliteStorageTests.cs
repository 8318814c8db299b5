using System.Text;
using System.Text.Json;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Tests.Infrastructure;
using static Webhooks.Grains.Tests.Infrastructure.TestListeners;

namespace Webhooks.Grains.Tests.Storage;

public sealed class SqliteStorageTests : IDisposable
{
    // The number of the newest script under deploy/sql/sqlite/.
    private static readonly long LatestSchema = Directory.GetFiles(Path.Combine(RepositoryRoot(), "deploy", "sql", "sqlite"), "*.sql")
        .Max(f => long.Parse(Path.GetFileName(f).AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly TestDeployment _deployment = new();

    public void Dispose() => _deployment.Dispose();

    [Fact]
    public async Task StoredState_IsPlainJsonWithoutTypeNamesOrKeySecrets()
    {
        var tenantId = ResourceIds.NewTenantId();
        ApiKey key;
        string listenerSecret;
        await using (var cluster = await _deployment.StartClusterAsync())
        {
            var created = await cluster.Tenant(tenantId).CreateAsync("Acme");
            Assert.NotNull(created);
            Assert.True(ApiKey.TryParse(created.ApiKey, out key));
            var router = cluster.Router(tenantId);
            var added = await router.AddAsync(Definition("order.created", "*"));
            Assert.NotNull(added);
            var listener = added.Listener;
            listenerSecret = added.Secret;
            await router.UpdateAsync(listener.Id, Definition("order.paid"));
            Assert.True(await router.RemoveAsync((await router.AddListenerAsync(Definition("order.created"))).Id));
        }

        var rows = _deployment.ReadStoredStates();

        // One tenant, one router, two listeners (one of them a tombstone): nothing is vacuously clean.
        Assert.Equal(4, rows.Count);
        Assert.Equal(3, rows.Select(r => r.GrainType).Distinct().Count());
        Assert.All(rows, row =>
        {
            Assert.NotNull(row.Payload);
            var json = StrictUtf8.GetString(row.Payload);
            using (var document = JsonDocument.Parse(json))
            {
                Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            }

            Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Webhooks.", json, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", json, StringComparison.Ordinal);
            Assert.DoesNotContain(key.Secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(listenerSecret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(listenerSecret["whsec_".Length..], json, StringComparison.Ordinal);
        });
        var tenantRow = StrictUtf8.GetString(Assert.Single(rows, r => r.GrainType.Contains("tenant", StringComparison.OrdinalIgnoreCase)).Payload!);
        Assert.Contains(key.KeyId, tenantRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_IsAppliedOnceAndASecondClusterOnTheSameFileLeavesItAlone()
    {
        var tenantId = ResourceIds.NewTenantId();
        ListenerView listener;
        await using (var cluster = await _deployment.StartClusterAsync())
        {
            listener = await cluster.Router(tenantId).AddListenerAsync(Definition("order.created"));
        }

        Assert.Equal(LatestSchema, Scalar("PRAGMA user_version;"));
        var queries = Scalar("SELECT COUNT(*) FROM OrleansQuery;");
        // Running the script again would put the original text back (INSERT OR REPLACE); a marked query shows it did not.
        Execute("UPDATE OrleansQuery SET QueryText = '/* kept */' || QueryText WHERE QueryKey = 'ReadFromStorageKey';");

        await using (var second = await _deployment.StartClusterAsync())
        {
            var page = await second.Router(tenantId).ListAsync(1, 10);
            AssertSameView(listener, Assert.Single(page.Items));
        }

        Assert.Equal(LatestSchema, Scalar("PRAGMA user_version;"));
        Assert.Equal(queries, Scalar("SELECT COUNT(*) FROM OrleansQuery;"));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM OrleansQuery WHERE QueryText LIKE '/* kept */%';"));
    }

    private long Scalar(string sql)
    {
        using var connection = _deployment.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var connection = _deployment.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Webhooks.Orleans.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("The repository root is above the test output.");
    }
}
