using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Webhooks.Api.Auth;

namespace Webhooks.Api.Limits;

/// <summary>
/// One token bucket per authenticated API key (tenant keys by key id, the platform key as one), so a busy key
/// never uses up another's allowance. A refused request gets a 429 problem with <c>Retry-After</c> in seconds.
/// </summary>
internal sealed class ApiKeyRateLimitPolicy(IOptions<RateLimitOptions> options, IProblemDetailsService problems) : IRateLimiterPolicy<string>
{
    public const string Name = "per-api-key";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = options.Value;
        var user = httpContext.User;
        if (user.FindFirst(ApiClaims.KeyId)?.Value is { } keyId)
        {
            return Bucket("key:" + keyId, limits.TenantKeyTokenLimit, limits.TenantKeyTokensPerPeriod, limits.TenantKeyReplenishmentPeriod);
        }

        // Endpoints under this policy all require a key, so authorization has refused anyone else before this runs.
        return user.HasClaim(c => c.Type == ApiClaims.Platform)
            ? Bucket("platform", limits.PlatformKeyTokenLimit, limits.PlatformKeyTokensPerPeriod, limits.PlatformKeyReplenishmentPeriod)
            : RateLimitPartition.GetNoLimiter("anonymous");
    }

    private static RateLimitPartition<string> Bucket(string partition, int tokenLimit, int tokensPerPeriod, TimeSpan period) =>
        tokenLimit == 0
            ? RateLimitPartition.GetNoLimiter(partition)
            : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = tokenLimit,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"This API key has used up its request rate; retry after {seconds} s.",
                Extensions = { ["errorCode"] = "TooManyRequests" },
            },
        });
    }
}
