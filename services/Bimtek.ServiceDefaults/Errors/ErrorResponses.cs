using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using ErrorInfo = Google.Rpc.ErrorInfo;
using RetryInfo = Google.Rpc.RetryInfo;
using Status = Google.Rpc.Status;

namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// Errors answered outside a gRPC method (authentication, the gateway's own limits and routing) in the one shape
/// every method's error has: a <c>google.rpc.Status</c> with an <c>ErrorInfo</c> (and <c>RetryInfo</c> when the
/// caller should come back later). REST callers get it as JSON, the way JSON transcoding writes a method's error;
/// gRPC callers get a trailers-only response whose <c>grpc-status-details-bin</c> carries the same status.
/// </summary>
public static class ErrorResponses
{
    private static readonly JsonFormatter _json = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(TypeRegistry.FromMessages(ErrorInfo.Descriptor, RetryInfo.Descriptor)));

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    public static Status Status(StatusCode code, string reason, string message, TimeSpan? retryAfter = null)
    {
        var status = new Status { Code = (int)code, Message = message };
        status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorReasons.Domain }));
        if (retryAfter is { } delay)
        {
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new RetryInfo
            {
                RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(WholeSeconds(delay))),
            }));
        }
        return status;
    }

    /// <summary>The status as JSON transcoding writes a method's error (compact, as System.Text.Json writes it).</summary>
    public static string Json(Status status) => JsonNode.Parse(_json.Format(status))!.ToJsonString();

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
            response.Headers.RetryAfter = WholeSeconds(delay).ToString(CultureInfo.InvariantCulture);
        }
        var status = Status(code, reason, message, retryAfter);
        if (IsGrpc(context.Request))
        {
            // Trailers-only response: HTTP 200 with the status in the headers, as gRPC servers answer.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
            return;
        }
        response.StatusCode = httpStatus;
        response.ContentType = "application/json";
        // Not RequestAborted: after a route timeout that token is cancelled, and the answer must still be written.
        await response.WriteAsync(Json(status), CancellationToken.None);
    }

    private static int WholeSeconds(TimeSpan delay) => Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds));
}
