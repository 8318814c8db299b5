using System.Collections.Concurrent;
using System.Security.Cryptography;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Signing;

/// <summary>A delivery body, its <c>N-Signature</c>, and the id of the key that made it (<c>N-Signature-Key-Id</c>).</summary>
public sealed record SignedBody(byte[] Body, string Signature, string KeyId);

/// <summary>
/// Builds and RSA-signs each distinct body once per silo: the listeners of one event share the bytes and the
/// signature of each call attempt (an RSA signature costs far more than the HTTP request around it). Tenant
/// private keys are opened once and kept in memory only.
/// </summary>
public sealed class SignedBodies(IGrainFactory grains, SecretProtector protector)
{
    // Two generations: lookups see both, inserts go to the young one, and when it is full the old one is
    // dropped. Memory stays bounded and a burst's bodies stay shared while its listeners are attempting.
    private const int GenerationSize = 4096;

    private readonly ConcurrentDictionary<string, Task<SigningKey>> _keys = new(StringComparer.Ordinal);
    private readonly object _rotate = new();
    private ConcurrentDictionary<(string, string, int), Lazy<Task<SignedBody>>> _young = new();
    private ConcurrentDictionary<(string, string, int), Lazy<Task<SignedBody>>> _old = new();

    /// <summary>The body of attempt <paramref name="callAttempt"/> of <paramref name="delivery"/>'s event, signed with its tenant's key.</summary>
    public Task<SignedBody> GetAsync(string tenantId, DeliveryRecord delivery, int callAttempt)
    {
        var key = (tenantId, delivery.EventId, callAttempt);
        if (_old.TryGetValue(key, out var aged) && !aged.Value.IsFaulted)
        {
            return aged.Value;
        }

        var young = _young;
        var entry = young.GetOrAdd(key, _ => new Lazy<Task<SignedBody>>(() => SignAsync(tenantId, delivery, callAttempt)));
        if (entry.Value.IsFaulted)
        {
            young.TryRemove(new KeyValuePair<(string, string, int), Lazy<Task<SignedBody>>>(key, entry));
        }

        if (young.Count > GenerationSize)
        {
            lock (_rotate)
            {
                if (ReferenceEquals(young, _young))
                {
                    _old = young;
                    _young = new();
                }
            }
        }

        return entry.Value;
    }

    /// <summary>
    /// Drops this silo's copy of a deleted tenant's private key. Not disposed: a signature may still be using it, and the
    /// collector frees it after.
    /// </summary>
    public void Forget(string tenantId) => _keys.TryRemove(tenantId, out _);

    private async Task<SignedBody> SignAsync(string tenantId, DeliveryRecord delivery, int callAttempt)
    {
        var body = DeliveryBody.Serialize(delivery, callAttempt);
        var key = await KeyAsync(tenantId);
        return new SignedBody(body, TenantSigningKey.Sign(key.Rsa, body), key.Id);
    }

    private Task<SigningKey> KeyAsync(string tenantId)
    {
        var key = _keys.GetOrAdd(tenantId, id => LoadAsync(id));
        if (key.IsFaulted)
        {
            _keys.TryRemove(new KeyValuePair<string, Task<SigningKey>>(tenantId, key));
        }

        return key;
    }

    private async Task<SigningKey> LoadAsync(string tenantId)
    {
        var protectedKey = await grains.GetGrain<ITenantGrain>(tenantId).GetProtectedSigningKeyAsync();
        var rsa = TenantSigningKey.Load(protector, protectedKey);
        return new SigningKey(rsa, TenantSigningKey.KeyId(rsa));
    }

    private sealed record SigningKey(RSA Rsa, string Id);
}
