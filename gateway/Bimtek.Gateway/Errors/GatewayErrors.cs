using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Gateway.Errors;

/// <summary>
/// Errors the gateway answers itself, in the shape the services use: a <c>google.rpc.Status</c> JSON
/// body (<c>{"code":…,"message":…,"details":[{"@type":…ErrorInfo,…}]}</c>) for REST callers, and a
/// trailers-only gRPC status with the same details for gRPC callers, so a client reads one format whoever answered.
/// </summary>
public static class GatewayErrors
{
    /// <summary>Too many requests from this client: wait for <c>Retry-After</c> (also a <c>google.rpc.RetryInfo</c>) (HTTP 429).</summary>
    public const string RateLimited = "RATE_LIMITED";
    public const string Unauthenticated = ErrorReasons.Unauthenticated;
    public const string PermissionDenied = ErrorReasons.PermissionDenied;
    public const string NotFound = ErrorReasons.NotFound;
    public const string Unavailable = ErrorReasons.Unavailable;
    /// <summary>The service did not answer within the route's timeout: retry with the same <c>request_id</c> (HTTP 504).</summary>
    public const string Timeout = "DEADLINE_EXCEEDED";
    /// <summary>The request body is larger than the operation accepts (HTTP 413).</summary>
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";
    /// <summary>The path exists but not with this HTTP method (HTTP 405).</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    public static bool IsGrpc(HttpRequest request) => ErrorResponses.IsGrpc(request);

    /// <summary>The gateway's own answer, in the services' error shape (<see cref="ErrorResponses"/>).</summary>
    public static Task WriteAsync(HttpContext context, int httpStatus, StatusCode code, string reason, string message,
        TimeSpan? retryAfter = null) =>
        ErrorResponses.WriteAsync(context, httpStatus, code, reason, message, retryAfter);
}
