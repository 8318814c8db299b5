using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using Webhooks.Abstractions.Delivery;

namespace Webhooks.Api.Deliveries;

/// <summary>One event's delivery to a listener, with every attempt.</summary>
public sealed record DeliveryModel(
    string EventId,
    string EventCode,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    ImmutableArray<AttemptModel> Attempts)
{
    public static DeliveryModel From(DeliveryView view) => new(
        view.EventId, view.EventCode, view.Status.ToString().ToLowerInvariant(), view.CreatedAt, view.NextAttemptAt,
        [.. view.Attempts.Select(a => new AttemptModel(a.Attempt, a.At, a.StatusCode, a.DurationMs, a.Error, a.ResponseBody))]);
}

/// <summary>One HTTP attempt: when, the listener's status code (if it answered), how long, why it failed, and the first 2 KiB of the response.</summary>
public sealed record AttemptModel(int Attempt, DateTimeOffset At, int? StatusCode, long DurationMs, string? Error, string? ResponseBody);

/// <summary>
/// The body of <c>recover</c>: re-queue failed deliveries created at or after <see cref="Since"/> and, when
/// <see cref="Until"/> is given, before it (the end is exclusive).
/// </summary>
public sealed record RecoverRequest([property: Required] DateTimeOffset? Since, DateTimeOffset? Until = null);

/// <summary>The optional body of <c>enable</c>: whether the deliveries parked while the listener was disabled are delivered (the default) or skipped.</summary>
public sealed record EnableRequest(bool? ReplayParked = null);

/// <summary>How many failed deliveries were re-queued.</summary>
public sealed record RecoverResult(int Requeued);

/// <summary>A new signing secret, shown this once.</summary>
public sealed record SecretModel(string Secret);

/// <summary>The public half of the tenant's <c>N-Signature</c> key, and its id as deliveries name it (<c>N-Signature-Key-Id</c>).</summary>
public sealed record CredentialsModel(string PublicKeyModulus, string PublicKeyExponent, string Kid);

/// <summary>A tenant's key set for verifying <c>N-Signature</c>, in the JSON Web Key Set shape (RFC 7517).</summary>
public sealed record KeySetModel(IReadOnlyList<JsonWebKeyModel> Keys);

/// <summary>One RSA public key of a key set.</summary>
public sealed record JsonWebKeyModel(string Kty, string Kid, string Use, string Alg, string N, string E);
