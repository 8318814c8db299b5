namespace Webhooks.Client;

/// <summary>Where the API is, who the client is, and how it retries; the factory's only input.</summary>
public sealed class WebhooksClientOptions
{
    /// <summary>The server's root, such as <c>https://webhooks.example.com/</c>; the operations' paths are relative to it.</summary>
    public required Uri BaseAddress { get; set; }

    /// <summary>The API key sent as <c>Authorization: Bearer</c> on every request: a tenant's key, or the platform key.</summary>
    public required string ApiKey { get; set; }

    /// <summary>
    /// The tenant the platform key acts for, sent as <c>N-TenantId</c>; leave it unset with a tenant's own key.
    /// </summary>
    /// <value>The default is none.</value>
    public string? TenantId { get; set; }

    /// <summary>How often a request is sent at most when the server answers 429 or 503 (the first try included).</summary>
    /// <value>The default is 3; 1 turns retries off.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// The longest wait before a retry. A <c>Retry-After</c> longer than this is not waited for: the caller gets the
    /// <see cref="Errors.WebhooksApiException"/> at once, with <see cref="Errors.WebhooksApiException.RetryAfter"/> set.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before a retry when a 429 or 503 has no <c>Retry-After</c>; it doubles with each retry.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan DefaultRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock the retry waits run on.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
