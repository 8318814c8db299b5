using System.Security.Cryptography;
using System.Text;
using Webhooks.Storage;

namespace Webhooks.Tenants;

/// <summary>A tenant: its name and API keys. Keys are random 256-bit secrets, so an unsalted SHA-256 is a safe digest.</summary>
public sealed class TenantGrain(
    [PersistentState("tenant", WebhookStorage.ProviderName)] IPersistentState<TenantState> tenant,
    TimeProvider time) : Grain, ITenantGrain
{
    private const int KeyIdBytes = 6;
    private const int SecretBytes = 32;

    public async Task<TenantCreated?> CreateAsync(string name)
    {
        if (tenant.State.Exists)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var key = new ApiKey(this.GetPrimaryKeyString(), ResourceIds.NewRandomToken(KeyIdBytes), ResourceIds.NewRandomToken(SecretBytes));
        tenant.State.Name = name;
        tenant.State.CreatedAt = now;
        tenant.State.ApiKeys.Add(new StoredApiKey(key.KeyId, Hash(key.Secret), now));
        await tenant.WriteStateAsync();
        return new TenantCreated(View()!, key.ToString());
    }

    public Task<TenantView?> GetAsync() => Task.FromResult(View());

    public Task<bool> VerifyKeyAsync(ApiKey key)
    {
        var stored = tenant.State.ApiKeys.Find(k => k.KeyId == key.KeyId);
        var valid = stored is not null
            && key.TenantId == this.GetPrimaryKeyString()
            && CryptographicOperations.FixedTimeEquals(stored.SecretHash, Hash(key.Secret));
        return Task.FromResult(valid);
    }

    private TenantView? View() => tenant.State.Exists
        ? new TenantView(this.GetPrimaryKeyString(), tenant.State.Name!, tenant.State.CreatedAt)
        : null;

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
