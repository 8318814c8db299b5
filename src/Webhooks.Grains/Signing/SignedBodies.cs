using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Signing;

/// <summary>A delivery body, its <c>N-Signature</c>, and the id of the key that made it (<c>N-Signature-Key-Id</c>).</summary>
public sealed record SignedBody(byte[] Body, string Signature, string KeyId);

/// <summary>
/// Builds each distinct body once per silo, and RSA-signs it once, the first time a listener that takes the
/// <c>N-Signature</c> asks for it: the listeners of one event share the bytes and the signature of each call attempt
/// (an RSA signature costs far more than the HTTP request around it), and an event none of whose listeners takes the
/// <c>N-Signature</c> costs no RSA operation at all. Tenant private keys are opened once and kept in memory only.
/// </summary>
/// <remarks>
/// A silo's copy of a tenant's keys carries each key's activation time, so every silo switches to a rotated key at the
/// same instant without being told. The copy is read again after <see cref="SigningOptions.KeyRefreshInterval"/> (and
/// at once on the silo that rotated), which bounds how long another silo signs with the old key after an emergency
/// switch. A body is cached per key id: once a key activates, no body signed by its predecessor is served again.
/// </remarks>
public sealed class SignedBodies(IGrainFactory grains, SecretProtector protector, TimeProvider time, IOptions<SigningOptions> options)
{
    // Two generations: lookups see both, inserts go to the young one, and when it is full the old one is
    // dropped. Memory stays bounded and a burst's bodies stay shared while its listeners are attempting.
    private const int GenerationSize = 4096;

    private readonly ConcurrentDictionary<string, Task<TenantKeys>> _keys = new(StringComparer.Ordinal);
    private readonly object _rotate = new();
    private ConcurrentDictionary<(string, string, int, string), Lazy<Task<SharedBody>>> _young = new();
    private ConcurrentDictionary<(string, string, int, string), Lazy<Task<SharedBody>>> _old = new();
    private long _signaturesMade;

    /// <summary>How many RSA signatures this instance has made since it started: one per body that a listener needed signed.</summary>
    public long SignaturesMade => Interlocked.Read(ref _signaturesMade);

    /// <summary>The body of attempt <paramref name="callAttempt"/> of <paramref name="delivery"/>'s event, signed with the tenant's key active now.</summary>
    public async Task<SignedBody> GetAsync(string tenantId, DeliveryRecord delivery, int callAttempt) =>
        await (await EntryAsync(tenantId, delivery, callAttempt)).SignedAsync(this);

    /// <summary>The same body as <see cref="GetAsync"/>, for a listener that takes no <c>N-Signature</c>: nothing is signed for it.</summary>
    public async Task<byte[]> GetUnsignedAsync(string tenantId, DeliveryRecord delivery, int callAttempt) =>
        (await EntryAsync(tenantId, delivery, callAttempt)).Body;

    private async Task<SharedBody> EntryAsync(string tenantId, DeliveryRecord delivery, int callAttempt)
    {
        var signingKey = (await KeysAsync(tenantId)).ActiveAt(time.GetUtcNow());
        var key = (tenantId, delivery.EventId, callAttempt, signingKey.Id);
        if (_old.TryGetValue(key, out var aged) && !aged.Value.IsFaulted)
        {
            return await aged.Value;
        }

        var young = _young;
        var entry = young.GetOrAdd(key, _ => new Lazy<Task<SharedBody>>(() => Build(delivery, callAttempt, signingKey)));
        if (entry.Value.IsFaulted)
        {
            young.TryRemove(new KeyValuePair<(string, string, int, string), Lazy<Task<SharedBody>>>(key, entry));
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

        return await entry.Value;
    }

    /// <summary>
    /// Drops this silo's copy of a tenant's keys: after its deletion, or a rotation made on this silo, so the next
    /// signature reads them again. Not disposed: a signature may still be using them, and the collector frees them after.
    /// </summary>
    public void Forget(string tenantId) => _keys.TryRemove(tenantId, out _);

    // A failure is a faulted task, so the caller drops the entry and the next attempt builds it again.
    private static Task<SharedBody> Build(DeliveryRecord delivery, int callAttempt, SigningKey key)
    {
        try
        {
            return Task.FromResult(new SharedBody(DeliveryBody.Serialize(delivery, callAttempt), key));
        }
        catch (Exception failure)
        {
            return Task.FromException<SharedBody>(failure);
        }
    }

    /// <summary>
    /// One body and the key active when it was built; its signature is made by the first caller that needs it, once,
    /// and a signing failure leaves it unsigned, so the next attempt tries again.
    /// </summary>
    /// <remarks>
    /// The callers that come while the signature is being made wait for it as a task, not on a lock: the listeners of
    /// one event ask within microseconds of each other, and an RSA signature takes about 0.2 ms, so with a lock nine of
    /// ten attempts held a thread-pool thread spinning, yielding and then blocked for it.
    /// </remarks>
    private sealed class SharedBody(byte[] body, SigningKey key)
    {
        private Task<SignedBody>? _signed;

        public byte[] Body => body;

        public Task<SignedBody> SignedAsync(SignedBodies owner)
        {
            var seen = Volatile.Read(ref _signed);
            if (seen is { IsFaulted: false })
            {
                return seen;
            }

            var signing = new TaskCompletionSource<SignedBody>();
            var before = Interlocked.CompareExchange(ref _signed, signing.Task, seen);
            if (!ReferenceEquals(before, seen))
            {
                return before!; // another caller is signing it, or has (a failure of theirs is tried again next time)
            }

            try
            {
                var made = new SignedBody(body, TenantSigningKey.Sign(key.Rsa, body), key.Id);
                Interlocked.Increment(ref owner._signaturesMade);
                signing.SetResult(made);
            }
            catch (Exception failure)
            {
                signing.SetException(failure);
            }

            return signing.Task;
        }
    }

    /// <summary>The tenant's keys as this silo holds them, read again once older than the refresh interval.</summary>
    private async Task<TenantKeys> KeysAsync(string tenantId)
    {
        var cached = _keys.GetOrAdd(tenantId, id => LoadAsync(id, previous: null));
        if (cached.IsFaulted)
        {
            _keys.TryRemove(new KeyValuePair<string, Task<TenantKeys>>(tenantId, cached));
        }
        else if (cached.IsCompletedSuccessfully && time.GetUtcNow() - cached.Result.ReadAt >= options.Value.KeyRefreshInterval)
        {
            var fresh = LoadAsync(tenantId, cached.Result);
            cached = _keys.TryUpdate(tenantId, fresh, cached) ? fresh : _keys.GetOrAdd(tenantId, fresh);
        }

        return await cached;
    }

    // Keys already open in the previous copy are reused: a refresh opens only a key it has not seen.
    private async Task<TenantKeys> LoadAsync(string tenantId, TenantKeys? previous)
    {
        var stored = await grains.GetGrain<ITenantGrain>(tenantId).GetSigningKeysAsync();
        var keys = new List<(DateTimeOffset, SigningKey)>(stored.Length);
        foreach (var key in stored)
        {
            var open = previous?.Keys.FirstOrDefault(k => k.Key.Modulus == key.Modulus).Key
                ?? Open(key);
            keys.Add((key.ActivatesAt, open));
        }

        return new TenantKeys(keys, time.GetUtcNow());
    }

    private SigningKey Open(ProtectedSigningKey stored)
    {
        var rsa = TenantSigningKey.Load(protector, stored.PrivateKey);
        return new SigningKey(rsa, TenantSigningKey.KeyId(rsa), stored.Modulus);
    }

    private sealed record SigningKey(RSA Rsa, string Id, string Modulus);

    /// <summary>A tenant's keys with their activation times, oldest first, and when this silo read them.</summary>
    private sealed record TenantKeys(IReadOnlyList<(DateTimeOffset ActivatesAt, SigningKey Key)> Keys, DateTimeOffset ReadAt)
    {
        public SigningKey ActiveAt(DateTimeOffset now)
        {
            var active = Keys[0].Key;
            foreach (var (activatesAt, key) in Keys)
            {
                if (activatesAt <= now)
                {
                    active = key;
                }
            }

            return active;
        }
    }
}
