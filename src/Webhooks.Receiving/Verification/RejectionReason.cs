namespace Webhooks.Receiving.Verification;

/// <summary>Why a delivery was refused; its name is the <c>reason</c> of the problem body the receiver answers.</summary>
public enum RejectionReason
{
    /// <summary>A header the configured verification needs is absent or empty (401).</summary>
    MissingHeader,

    /// <summary><c>webhook-timestamp</c> is not a number of Unix seconds (401).</summary>
    InvalidTimestamp,

    /// <summary><c>webhook-timestamp</c> is further from now than the tolerance, in the past or the future (401).</summary>
    TimestampOutsideTolerance,

    /// <summary>None of the <c>webhook-signature</c> values is the HMAC of this id, timestamp and body with a configured secret (401).</summary>
    SignatureMismatch,

    /// <summary><c>N-Signature</c> does not verify the body with the tenant's key (401).</summary>
    RsaSignatureMismatch,

    /// <summary><c>N-Signature-Key-Id</c> names a key the tenant's key set does not have, even after fetching it again (401).</summary>
    UnknownSigningKey,

    /// <summary>The tenant's key set could not be fetched and none is cached, so <c>N-Signature</c> cannot be checked (503).</summary>
    KeySetUnavailable,

    /// <summary>The signed body is not a delivery: not JSON, or a field is missing or of the wrong type (400).</summary>
    InvalidBody,

    /// <summary><c>webhook-id</c> is not the body's <c>eventId</c> (401).</summary>
    IdMismatch,

    /// <summary>This attempt of this event was already received within the tolerance (401).</summary>
    Replay,

    /// <summary>The body is larger than the receiver accepts (413).</summary>
    BodyTooLarge,
}
