using Bimtek.Identity.Domain;
using Bimtek.ServiceDefaults.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Bimtek.Identity.Application;

/// <summary>RESOURCE_EXHAUSTED (HTTP 429) with the wait in a <c>RetryInfo</c>.</summary>
public sealed class RateLimitedException(TimeSpan retryAfter, string message)
    : DomainException(StatusCode.ResourceExhausted, Reasons.RateLimited, message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public override IEnumerable<Google.Protobuf.IMessage> Details()
    {
        yield return new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(Math.Ceiling(RetryAfter.TotalSeconds))) };
    }
}
