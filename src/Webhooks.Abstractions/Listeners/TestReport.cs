namespace Webhooks.Abstractions.Listeners;

/// <summary>What a listener made of the forged request sent right after its test event (the signature probe).</summary>
public enum SignatureCheck
{
    /// <summary>Nothing can be concluded: the real request failed, or the probe got a 5xx, timed out, could not connect or was not answered in time.</summary>
    Unknown,

    /// <summary>The listener accepted the real request (2xx) and refused the forged one (4xx): it checks signatures.</summary>
    Verified,

    /// <summary>The listener accepted the forged request (2xx): it takes anything, whoever signed it.</summary>
    NotVerified,
}

/// <summary>What the listener's test asks for beyond sending the test event: how long to wait for its outcome, and whether to probe.</summary>
/// <param name="Wait">How long the caller waits at most; the listener grain bounds it further (see <c>IListenerGrain.TestAndReportAsync</c>).</param>
/// <param name="Probe">Whether to send the forged request after the real one, to find out whether the listener checks signatures.</param>
[GenerateSerializer, Immutable, Alias("webhooks.TestRequest")]
public sealed record TestRequest(
    [property: Id(0)] TimeSpan Wait,
    [property: Id(1)] bool Probe);

/// <summary>
/// The outcome of a listener's test: its single attempt, once it ended, and the signature probe's verdict. When the
/// wait ran out before the attempt ended, <see cref="Finished"/> is false and only <see cref="EventId"/> is known.
/// </summary>
/// <param name="EventId">The test event's id, as in the delivery log.</param>
/// <param name="Finished">Whether the attempt ended within the wait.</param>
/// <param name="StatusCode">The listener's status code, if it answered.</param>
/// <param name="DurationMs">How long the attempt took, when it ended.</param>
/// <param name="Error">Why the attempt failed when there was no status code, or a note about it.</param>
/// <param name="ResponseExcerpt">The first 2 KiB of the listener's response body.</param>
/// <param name="SignatureCheck">The probe's verdict; null when no probe was asked for.</param>
[GenerateSerializer, Immutable, Alias("webhooks.TestReport")]
public sealed record TestReport(
    [property: Id(0)] string EventId,
    [property: Id(1)] bool Finished,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] long? DurationMs,
    [property: Id(4)] string? Error,
    [property: Id(5)] string? ResponseExcerpt,
    [property: Id(6)] SignatureCheck? SignatureCheck);
