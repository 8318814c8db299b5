using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Api.Auth;

namespace Webhooks.Api.Limits;

/// <summary>
/// One token bucket per authenticated API key (tenant keys by key id, the platform key as one), or per tenant for
/// a host's users behind an <see cref="ITenantResolver"/>, so a busy caller never uses up another's allowance. A
/// refused request gets a 429 problem with <c>Retry-After</c> in seconds.
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

        if (user.HasClaim(c => c.Type == ApiClaims.Platform))
        {
            return Bucket("platform", limits.PlatformKeyTokenLimit, limits.PlatformKeyTokensPerPeriod, limits.PlatformKeyReplenishmentPeriod);
        }

        // A host's user, behind a tenant resolver: its tenant's bucket, with a tenant key's allowance, shared by all
        // the tenant's users. Anyone else was refused by authorization before this runs, or reaches only the
        // platform endpoints under a host policy, which the host limits as it sees fit.
        return httpContext.RequestServices.GetService<ITenantResolver>()?.ResolveTenantId(httpContext) is { } tenantId
            ? Bucket("tenant:" + tenantId, limits.TenantKeyTokenLimit, limits.TenantKeyTokensPerPeriod, limits.TenantKeyReplenishmentPeriod)
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
                Detail = $"This {(IsApiKey(context.HttpContext.User) ? "API key" : "tenant")} has used up its request rate; retry after {seconds} s.",
                Extensions = { ["errorCode"] = "TooManyRequests" },
            },
        });
    }

    private static bool IsApiKey(System.Security.Claims.ClaimsPrincipal user) =>
        user.HasClaim(c => c.Type is ApiClaims.KeyId or ApiClaims.Platform);
}
