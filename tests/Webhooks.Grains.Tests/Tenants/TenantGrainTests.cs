using Webhooks.Testing;

namespace Webhooks.Tenants;

public sealed class TenantGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private readonly WebhooksCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Create_ReturnsAKeyThatVerifies()
    {
        var tenantId = ResourceIds.NewTenantId();

        var created = await _cluster.Tenant(tenantId).CreateAsync("Acme");

        Assert.NotNull(created);
        Assert.Equal(tenantId, created.Tenant.Id);
        Assert.Equal("Acme", created.Tenant.Name);
        Assert.True(ApiKey.TryParse(created.ApiKey, out var key));
        Assert.Equal(tenantId, key.TenantId);
        Assert.True(await _cluster.Tenant(tenantId).VerifyKeyAsync(key));
    }

    [Fact]
    public async Task VerifyKey_WithAWrongSecretOrKeyIdOrAnotherTenantsKey_IsRefused()
    {
        var tenantId = ResourceIds.NewTenantId();
        var otherId = ResourceIds.NewTenantId();
        var key = await CreateAsync(tenantId);
        var otherKey = await CreateAsync(otherId);
        var tenant = _cluster.Tenant(tenantId);

        Assert.False(await tenant.VerifyKeyAsync(key with { Secret = ResourceIds.NewRandomToken(32) }));
        Assert.False(await tenant.VerifyKeyAsync(key with { KeyId = ResourceIds.NewRandomToken(6) }));
        Assert.False(await tenant.VerifyKeyAsync(otherKey));
        // The tenant id is part of what is verified, not just a routing hint.
        Assert.False(await tenant.VerifyKeyAsync(key with { TenantId = otherId }));
        Assert.False(await _cluster.Tenant(otherId).VerifyKeyAsync(key with { TenantId = otherId }));
        Assert.False(await _cluster.Tenant(ResourceIds.NewTenantId()).VerifyKeyAsync(key));
        Assert.True(await tenant.VerifyKeyAsync(key));
    }

    [Fact]
    public async Task Create_WhenTheTenantExists_ReturnsNullAndKeepsTheFirst()
    {
        var tenantId = ResourceIds.NewTenantId();
        var key = await CreateAsync(tenantId, "Acme");

        var second = await _cluster.Tenant(tenantId).CreateAsync("Impostor");

        Assert.Null(second);
        Assert.Equal("Acme", (await _cluster.Tenant(tenantId).GetAsync())?.Name);
        Assert.True(await _cluster.Tenant(tenantId).VerifyKeyAsync(key));
    }

    [Fact]
    public async Task VerifyKey_AfterDeactivation_StillAcceptsTheKey()
    {
        var tenantId = ResourceIds.NewTenantId();
        var key = await CreateAsync(tenantId);

        await _cluster.DeactivateAsync(_cluster.Tenant(tenantId));

        Assert.True(await _cluster.Tenant(tenantId).VerifyKeyAsync(key));
        Assert.False(await _cluster.Tenant(tenantId).VerifyKeyAsync(key with { Secret = ResourceIds.NewRandomToken(32) }));
    }

    private async Task<ApiKey> CreateAsync(string tenantId, string name = "Acme")
    {
        var created = await _cluster.Tenant(tenantId).CreateAsync(name);
        Assert.NotNull(created);
        Assert.True(ApiKey.TryParse(created.ApiKey, out var key));
        return key;
    }
}
