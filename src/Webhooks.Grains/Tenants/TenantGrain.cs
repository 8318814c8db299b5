using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tenants;

/// <summary>
/// A tenant: its name, API keys and <c>N-Signature</c> keys. API keys are random 256-bit secrets, so an unsalted SHA-256
/// is a safe digest. Its deletion lives in <c>TenantGrain.Deletion.cs</c>.
/// </summary>
public sealed partial class TenantGrain(
    [PersistentState("tenant", WebhooksStorage.ProviderName)] IPersistentState<TenantState> tenant,
    TimeProvider time,
    SecretProtector protector,
    ITenantRows rows,
    IWakeUps wakeUps,
    SignedBodies bodies,
    IOptions<SigningOptions> signing,
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
        var (privateKey, modulus) = TenantSigningKey.Create(protector);
        tenant.State.SigningKeys = [new ProtectedSigningKey(privateKey, modulus, tenant.State.CreatedAt, tenant.State.CreatedAt)];
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
        return Credentials(SigningKeySchedule.Active(tenant.State.SigningKeys, time.GetUtcNow()));
    }

    public async Task<TenantKeySet?> GetKeySetAsync()
    {
        if (!tenant.State.Live)
        {
            return null;
        }

        await EnsureSigningKeyAsync();
        return new TenantKeySet([.. SigningKeySchedule.Published(tenant.State.SigningKeys, time.GetUtcNow()).Select(Credentials)]);
    }

    public async Task<byte[]> GetProtectedSigningKeyAsync() =>
        SigningKeySchedule.Active(await SigningKeysAsync(), time.GetUtcNow()).PrivateKey;

    public async Task<ImmutableArray<ProtectedSigningKey>> GetSigningKeysAsync() =>
        [.. SigningKeySchedule.Published(await SigningKeysAsync(), time.GetUtcNow())];

    public async Task<SigningKeyRotated?> RotateSigningKeyAsync(bool activateNow)
    {
        if (!tenant.State.Live)
        {
            return null;
        }

        await EnsureSigningKeyAsync();
        var now = time.GetUtcNow();
        var previous = SigningKeySchedule.Active(tenant.State.SigningKeys, now);
        var (privateKey, modulus) = TenantSigningKey.Create(protector);
        var options = signing.Value;
        tenant.State.SigningKeys = SigningKeySchedule.Rotate(
            tenant.State.SigningKeys, privateKey, modulus, now, options.KeyActivationDelay, options.KeyRetirementDelay, activateNow);
        await PersistAsync();
        bodies.Forget(this.GetPrimaryKeyString()); // this silo reads the new schedule at once; others within their refresh interval
        var next = tenant.State.SigningKeys[^1];
        var retiring = tenant.State.SigningKeys.Find(k => k.Modulus == previous.Modulus);
        LogSigningKeyRotated(logger, this.GetPrimaryKeyString(), next.ActivatesAt);
        return new SigningKeyRotated(Credentials(next), next.ActivatesAt, Credentials(previous), retiring?.RetiresAt ?? now);
    }

    private async Task<List<ProtectedSigningKey>> SigningKeysAsync()
    {
        if (!tenant.State.Exists)
        {
            throw new InvalidOperationException("The tenant does not exist.");
        }

        await EnsureSigningKeyAsync();
        return tenant.State.SigningKeys;
    }

    // Tenants created before signing existed get their key on first use; those created before rotation existed have
    // their one key moved into the schedule, active since the tenant was created.
    private async Task EnsureSigningKeyAsync()
    {
        if (tenant.State.SigningKeys.Count > 0)
        {
            return;
        }

        var (privateKey, modulus) = tenant.State.ProtectedSigningKey is { } stored
            ? (stored, tenant.State.SigningKeyModulus!)
            : TenantSigningKey.Create(protector);
        tenant.State.SigningKeys = [new ProtectedSigningKey(privateKey, modulus, tenant.State.CreatedAt, tenant.State.CreatedAt)];
        tenant.State.ProtectedSigningKey = null;
        tenant.State.SigningKeyModulus = null;
        await PersistAsync();
    }

    private static TenantCredentials Credentials(ProtectedSigningKey key) => new(key.Modulus, TenantSigningKey.Exponent);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} has a new signing key; deliveries switch to it at {ActivatesAt:O}")]
    private static partial void LogSigningKeyRotated(ILogger logger, string tenantId, DateTimeOffset activatesAt);
}
