using System.Text.Json;
using System.Text.Json.Nodes;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Gateway.Errors;

/// <summary>
/// Errors the gateway answers itself, in the shape the services use: a <c>google.rpc.Status</c> JSON
/// body (<c>{"code":…,"message":…,"details":[{"@type":…ErrorInfo,…}]}</c>) for REST callers, and a
/// trailers-only gRPC status for gRPC callers, so a client reads one format whoever answered.
/// </summary>
public static class GatewayErrors
{
    public const string RateLimited = "RATE_LIMITED";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string PermissionDenied = ErrorReasons.PermissionDenied;
    public const string NotFound = ErrorReasons.NotFound;
    public const string Unavailable = ErrorReasons.Unavailable;
    public const string Timeout = "DEADLINE_EXCEEDED";
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the error unless the response has started (then there is nothing left to say).</summary>
    public static async Task WriteAsync(HttpContext context, int httpStatus, StatusCode code, string reason, string message,
        TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.Headers.Remove("Content-Length");
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (IsGrpc(context.Request))
        {
            // Trailers-only response: HTTP 200 with the status in the headers, as gRPC servers answer.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }
        response.StatusCode = httpStatus;
        response.ContentType = "application/json";
        // Not RequestAborted: after a route timeout that token is cancelled, and the 504 must still be written.
        await response.WriteAsync(Body(code, reason, message, retryAfter).ToJsonString(_jsonOptions), CancellationToken.None);
    }

    /// <summary>The <c>google.rpc.Status</c> JSON the services' transcoding writes.</summary>
    public static JsonObject Body(StatusCode code, string reason, string message, TimeSpan? retryAfter = null)
    {
        var details = new JsonArray
        {
            new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = reason,
                ["domain"] = ErrorReasons.Domain,
            },
        };
        if (retryAfter is { } delay)
        {
            details.Add(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.RetryInfo",
                ["retryDelay"] = $"{Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds))}s",
            });
        }
        return new JsonObject { ["code"] = (int)code, ["message"] = message, ["details"] = details };
    }

    private static readonly JsonSerializerOptions _jsonOptions = new(JsonSerializerDefaults.Web);
}
