namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// The real things the fuzzer aims at: the fuzzed tenant (its key, listeners and an event), the platform key, and
/// an untouched tenant whose ids it may name only with keys that must not reach it, and a tenant of its own for the
/// platform's <c>api/v1/tenants/{tenantId}</c> endpoints, which it may delete without losing the fuzzed tenant.
/// </summary>
public sealed record FuzzTargets(
    string PlatformKey,
    string TenantId,
    string TenantKey,
    IReadOnlyList<string> ListenerIds,
    string EventId,
    string ListenerUri,
    string UntouchedTenantId,
    string UntouchedListenerId,
    string ManagedTenantId);
