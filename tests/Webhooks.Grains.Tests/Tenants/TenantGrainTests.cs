using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.Tenants;

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

    [Fact]
    public async Task CreateKey_IssuesAnotherKeyThatVerifies_AndListsItWithoutTheSecret()
    {
        var tenantId = ResourceIds.NewTenantId();
        var first = await CreateAsync(tenantId);
        var tenant = _cluster.Tenant(tenantId);

        var created = await tenant.CreateKeyAsync("ci");

        Assert.NotNull(created);
        Assert.True(ApiKey.TryParse(created.ApiKey, out var second));
        Assert.Equal(second.KeyId, created.Key.Id);
        Assert.Equal(second.Prefix, created.Key.Prefix);
        Assert.Equal("ci", created.Key.Name);
        Assert.True(await tenant.VerifyKeyAsync(second));
        var listed = (await tenant.ListKeysAsync())!.Keys;
        Assert.Equal([first.KeyId, second.KeyId], listed.Select(k => k.Id));
        Assert.Equal([null, "ci"], listed.Select(k => k.Name));
        var shown = string.Join("\n", listed);
        Assert.DoesNotContain(first.Secret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Secret, shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeKey_StopsThatKeyAtOnceAndAfterReactivation_AndLeavesTheOthers()
    {
        var tenantId = ResourceIds.NewTenantId();
        var first = await CreateAsync(tenantId);
        var tenant = _cluster.Tenant(tenantId);
        Assert.True(ApiKey.TryParse((await tenant.CreateKeyAsync(null))!.ApiKey, out var second));

        Assert.True(await tenant.RevokeKeyAsync(first.KeyId));

        Assert.False(await tenant.VerifyKeyAsync(first));
        Assert.True(await tenant.VerifyKeyAsync(second));
        Assert.False(await tenant.RevokeKeyAsync(first.KeyId));
        await _cluster.DeactivateAsync(tenant);
        Assert.False(await tenant.VerifyKeyAsync(first));
        Assert.Equal([second.KeyId], (await tenant.ListKeysAsync())!.Keys.Select(k => k.Id));
    }

    [Fact]
    public async Task KeyManagement_OfATenantThatDoesNotExist_ReturnsNullOrFalse()
    {
        var tenant = _cluster.Tenant(ResourceIds.NewTenantId());

        Assert.Null(await tenant.CreateKeyAsync("x"));
        Assert.Null(await tenant.ListKeysAsync());
        Assert.False(await tenant.RevokeKeyAsync("AAAAAAAA"));
        Assert.Null(await tenant.GetAsync());
    }

    private async Task<ApiKey> CreateAsync(string tenantId, string name = "Acme")
    {
        var created = await _cluster.Tenant(tenantId).CreateAsync(name);
        Assert.NotNull(created);
        Assert.True(ApiKey.TryParse(created.ApiKey, out var key));
        return key;
    }
}
