using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tenants;

/// <summary>
/// A tenant: its name and API keys. Keys are random 256-bit secrets, so an unsalted SHA-256 is a safe digest. Its
/// deletion lives in <c>TenantGrain.Deletion.cs</c>.
/// </summary>
public sealed partial class TenantGrain(
    [PersistentState("tenant", WebhooksStorage.ProviderName)] IPersistentState<TenantState> tenant,
    TimeProvider time,
    SecretProtector protector,
    ITenantRows rows,
    IWakeUps wakeUps,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain, IRemindable
{
    private const int KeyIdBytes = 6;
    private const int SecretBytes = 32;

    // A deleted tenant's id is free again once nothing of it is left: a tenant created with it starts from nothing.
    public async Task<TenantCreated?> CreateAsync(string name)
    {
        if (tenant.State.Exists || _removed)
        {
            return null;
        }

        tenant.State.Name = name;
        tenant.State.CreatedAt = time.GetUtcNow();
        var key = IssueKey(name: null);
        (tenant.State.ProtectedSigningKey, tenant.State.SigningKeyModulus) = TenantSigningKey.Create(protector);
        await PersistAsync();
        return new TenantCreated(View()!, key.ToString());
    }

    public async Task<ApiKeyCreated?> CreateKeyAsync(string? name)
    {
        if (!tenant.State.Live)
        {
            return null;
        }

        var key = IssueKey(name);
        await PersistAsync();
        return new ApiKeyCreated(ToView(tenant.State.ApiKeys[^1]), key.ToString());
    }

    public Task<ApiKeyList?> ListKeysAsync() =>
        Task.FromResult(tenant.State.Live ? new ApiKeyList([.. tenant.State.ApiKeys.Select(ToView)]) : null);

    // The stored hash is removed, so the key fails VerifyKeyAsync on the very next request: nothing caches keys.
    public async Task<bool> RevokeKeyAsync(string keyId)
    {
        if (!tenant.State.Live || tenant.State.ApiKeys.RemoveAll(k => k.KeyId == keyId) == 0)
        {
            return false;
        }

        await PersistAsync();
        return true;
    }

    public Task<TenantView?> GetAsync() => Task.FromResult(View());

    public Task<bool> VerifyKeyAsync(ApiKey key)
    {
        var stored = tenant.State.ApiKeys.Find(k => k.KeyId == key.KeyId);
        var valid = stored is not null
            && tenant.State.Live
            && key.TenantId == this.GetPrimaryKeyString()
            && CryptographicOperations.FixedTimeEquals(stored.SecretHash, Hash(key.Secret));
        return Task.FromResult(valid);
    }

    public async Task<TenantCredentials?> GetCredentialsAsync()
    {
        if (!tenant.State.Live)
        {
            return null;
        }

        await EnsureSigningKeyAsync();
        return new TenantCredentials(tenant.State.SigningKeyModulus!, "AQAB");
    }

    public async Task<byte[]> GetProtectedSigningKeyAsync()
    {
        if (!tenant.State.Exists)
        {
            throw new InvalidOperationException("The tenant does not exist.");
        }

        await EnsureSigningKeyAsync();
        return tenant.State.ProtectedSigningKey!;
    }

    // Tenants created before signing existed get their key on first use.
    private async Task EnsureSigningKeyAsync()
    {
        if (tenant.State.ProtectedSigningKey is null)
        {
            (tenant.State.ProtectedSigningKey, tenant.State.SigningKeyModulus) = TenantSigningKey.Create(protector);
            await PersistAsync();
        }
    }

    // A failed write leaves memory ahead of storage (a tenant that looks created with a key nobody received);
    // dropping the activation makes the next call start from what is stored.
    private Task PersistAsync() => this.WriteOrDeactivateAsync(tenant);

    private ApiKey IssueKey(string? name)
    {
        var key = new ApiKey(this.GetPrimaryKeyString(), ResourceIds.NewRandomToken(KeyIdBytes), ResourceIds.NewRandomToken(SecretBytes));
        tenant.State.ApiKeys.Add(new StoredApiKey(key.KeyId, Hash(key.Secret), time.GetUtcNow(), name));
        return key;
    }

    private ApiKeyView ToView(StoredApiKey stored) =>
        new(stored.KeyId, stored.Name, new ApiKey(this.GetPrimaryKeyString(), stored.KeyId, string.Empty).Prefix, stored.CreatedAt);

    private TenantView? View() => tenant.State.Exists
        ? new TenantView(this.GetPrimaryKeyString(), tenant.State.Name!, tenant.State.CreatedAt, tenant.State.Live ? TenantStatus.Active : TenantStatus.Deleting)
        : null;

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
