using System.Net;
using System.Net.Http.Json;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Tenants;

/// <summary>
/// The delivery server with one world built once for the isolation matrix: tenant B with a listener that has a
/// failed delivery, a second key and a live receiver; tenant A with its key and a second key that is revoked.
/// </summary>
public sealed class IsolationServer : DeliveryServer, IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TestReceiver? _receiver;
    private IsolationWorld? _world;

    internal async Task<IsolationWorld> WorldAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _world ??= await BuildAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        _gate.Dispose();
        await base.DisposeAsync();
    }

    private async Task<IsolationWorld> BuildAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        var endpoint = _receiver.Endpoint(500);
        var a = await CreateTenantAsync("Tenant A");
        var b = await CreateTenantAsync("Tenant B");
        var listener = (await b.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id");
        var (eventId, _) = await b.Client.PublishAsync("entitlement.created");
        await b.Client.WaitForStatusAsync(listener, eventId, "failed"); // something redeliver and recover could act on

        using var created = await Platform.PostAsJsonAsync($"api/v1/tenants/{a.Id}/keys", new { name = "to revoke" });
        var revokedKey = (await Json.ReadObjectAsync(created)).String("apiKey");
        using var revoke = await Platform.DeleteAsync($"api/v1/tenants/{a.Id}/keys/{revokedKey.Split('.')[2]}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        return new IsolationWorld(a, b, listener, eventId, b.ApiKey.Split('.')[2], endpoint, CreateClient(revokedKey), CreateClient(PlatformKey, b.Id));
    }
}

/// <summary>What the isolation matrix aims at: B's resources, and the clients it aims with.</summary>
internal sealed record IsolationWorld(
    TestTenant A,
    TestTenant B,
    string BListener,
    string BEventId,
    string BKeyId,
    ScriptedEndpoint BReceiver,
    HttpClient RevokedKey,
    HttpClient PlatformAsB);
