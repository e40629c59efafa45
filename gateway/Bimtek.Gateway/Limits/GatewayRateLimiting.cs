using System.Threading.RateLimiting;
using Bimtek.Gateway.Errors;
using Bimtek.Gateway.Hosting;
using Bimtek.Gateway.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Bimtek.Gateway.Limits;

/// <summary>
/// A token bucket per client — the authenticated subject, else the remote address — configured in
/// <c>Gateway:RateLimit</c> (with per-client overrides). Over the limit: 429 with <c>Retry-After</c> and the
/// services' error body (gRPC callers: RESOURCE_EXHAUSTED). Health and docs are not limited.
/// </summary>
public static class GatewayRateLimiting
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : TimeSpan.FromSeconds(1);
                await GatewayErrors.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, StatusCode.ResourceExhausted,
                    GatewayErrors.RateLimited, "Too many requests from this client; retry after the delay in Retry-After.", retryAfter);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
        {
            return RateLimitPartition.GetNoLimiter("probes");
        }
        var settings = context.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue.RateLimit;
        var subject = context.User.Identity?.IsAuthenticated == true ? GatewayIdentity.SubjectOf(context.User) : null;
        var key = subject is not null ? "client:" + subject : "address:" + context.Connection.RemoteIpAddress;
        var overrides = subject is not null ? settings.Clients.GetValueOrDefault(subject) : null;
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = overrides?.TokenLimit ?? settings.TokenLimit,
            TokensPerPeriod = overrides?.TokensPerPeriod ?? settings.TokensPerPeriod,
            ReplenishmentPeriod = settings.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
