namespace Webhooks.Grains.Delivery;

/// <summary>What one attempt came to.</summary>
/// <param name="Succeeded">A 2xx status within the timeout.</param>
/// <param name="StatusCode">The listener's status code, if it answered.</param>
/// <param name="Duration">From sending to the end of reading the (bounded) response.</param>
/// <param name="Error">Why it failed when there was no status code, or a note about it (e.g. "timed out after 15 s").</param>
/// <param name="ResponseBody">The first 2 KiB of the response body, decoded as UTF-8.</param>
/// <param name="RetryAfter">The listener's <c>Retry-After</c> on a 429 or 503, when it sent one.</param>
[GenerateSerializer, Immutable, Alias("webhooks.AttemptOutcome")]
public sealed record AttemptOutcome(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] int? StatusCode,
    [property: Id(2)] TimeSpan Duration,
    [property: Id(3)] string? Error,
    [property: Id(4)] string? ResponseBody,
    [property: Id(5)] TimeSpan? RetryAfter);
