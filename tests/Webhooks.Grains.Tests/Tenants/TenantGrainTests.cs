using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Tenants;
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

    [Fact]
    public async Task SigningKeyRotation_IsStored_WithItsSchedule_AndSurvivesReactivation()
    {
        var tenantId = ResourceIds.NewTenantId();
        await CreateAsync(tenantId);
        var tenant = _cluster.Tenant(tenantId);
        var first = await tenant.GetCredentialsAsync();

        var rotated = await tenant.RotateSigningKeyAsync(activateNow: false);
        await _cluster.DeactivateAsync(tenant);

        Assert.NotNull(rotated);
        Assert.Equal(first, rotated.Previous);
        Assert.Equal(first, await tenant.GetCredentialsAsync()); // the next key waits
        Assert.Equal(new[] { first!, rotated.Key }, (await tenant.GetKeySetAsync())!.Keys.AsEnumerable());
        var stored = await tenant.GetSigningKeysAsync();
        Assert.Equal([first!.PublicKeyModulus, rotated.Key.PublicKeyModulus], stored.Select(k => k.Modulus));
        Assert.Equal([rotated.PreviousRetiresAt, null], stored.Select(k => k.RetiresAt));
        Assert.Equal(rotated.ActivatesAt, stored[1].ActivatesAt);
        Assert.Null(await _cluster.Tenant(ResourceIds.NewTenantId()).RotateSigningKeyAsync(activateNow: true));
    }

    [Fact]
    public async Task TenantStoredBeforeRotation_KeepsItsOneKey_AsTheActiveKeyOfTheSchedule()
    {
        var tenantId = ResourceIds.NewTenantId();
        var (legacyKey, legacyModulus) = TenantSigningKey.Create(_cluster.SiloServices.GetRequiredService<SecretProtector>());
        var storage = _cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(WebhooksStorage.ProviderName);
        var createdAt = DateTimeOffset.UtcNow.AddYears(-1);
        await storage.WriteStateAsync("tenant", _cluster.Tenant(tenantId).GetGrainId(), new GrainState<TenantState>(new TenantState
        {
            Name = "Before rotation",
            CreatedAt = createdAt,
            ProtectedSigningKey = legacyKey,
            SigningKeyModulus = legacyModulus,
        }));
        var tenant = _cluster.Tenant(tenantId);

        Assert.Equal(legacyModulus, (await tenant.GetCredentialsAsync())!.PublicKeyModulus);
        var stored = Assert.Single(await tenant.GetSigningKeysAsync());
        Assert.Equal(legacyKey, stored.PrivateKey);
        Assert.Equal((legacyModulus, createdAt), (stored.Modulus, stored.ActivatesAt));
        var rotated = await tenant.RotateSigningKeyAsync(activateNow: false);
        Assert.Equal(legacyModulus, rotated!.Previous.PublicKeyModulus);
        await _cluster.DeactivateAsync(tenant);
        Assert.Equal([legacyModulus, rotated.Key.PublicKeyModulus], (await tenant.GetSigningKeysAsync()).Select(k => k.Modulus));
    }

    private async Task<ApiKey> CreateAsync(string tenantId, string name = "Acme")
    {
        var created = await _cluster.Tenant(tenantId).CreateAsync(name);
        Assert.NotNull(created);
        Assert.True(ApiKey.TryParse(created.ApiKey, out var key));
        return key;
    }
}
