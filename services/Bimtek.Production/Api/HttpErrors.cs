using System.Data.Common;
using Bimtek.Production.Domain;
using Bimtek.ServiceDefaults.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>
/// Errors of the photo endpoints (plain HTTP, not transcoded) in the suite's one shape: the <c>google.rpc.Status</c>
/// JSON that transcoding writes for a method's error, with the HTTP status transcoding would choose for its code
/// (413/415 for photos and videos refused by size or type, 416 for a video range past its end). Exceptions are translated as the gRPC error interceptor does.
/// </summary>
internal static partial class HttpErrors
{
    private static readonly JsonFormatter _json = new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages(
        Google.Rpc.ErrorInfo.Descriptor, Google.Rpc.BadRequest.Descriptor, Google.Rpc.PreconditionFailure.Descriptor,
        Google.Rpc.ResourceInfo.Descriptor)));

    public static async Task WriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        var (http, status) = Translate(exception, context, logger);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.Clear();
        response.StatusCode = http;
        response.ContentType = "application/json";
        response.Headers.XContentTypeOptions = "nosniff";
        if (exception is RangeNotSatisfiableException range)
        {
            response.Headers.ContentRange = $"bytes */{range.Length}";
            response.Headers.AcceptRanges = "bytes";
        }
        await response.WriteAsync(_json.Format(status), CancellationToken.None);
    }

    private static (int Http, Google.Rpc.Status Status) Translate(Exception exception, HttpContext context, ILogger logger)
    {
        switch (exception)
        {
            case PhotoRefusedException photo:
                return (photo.HttpStatus, photo.ToStatus());
            case RangeNotSatisfiableException range:
                return (StatusCodes.Status416RangeNotSatisfiable, range.ToStatus());
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return (StatusCodes.Status413PayloadTooLarge, Simple(StatusCode.InvalidArgument, Reasons.PhotoTooLarge,
                    "The photo is larger than this service accepts."));
            case DomainException domain:
                if (domain is DependencyUnavailableException)
                {
                    LogDependencyDown(logger, context.Request.Path, domain.Message);
                }
                return (HttpStatusOf(domain.Code), domain.ToStatus());
            case RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } rpc:
                LogDependencyDown(logger, context.Request.Path, rpc.Status.Detail);
                return (StatusCodes.Status503ServiceUnavailable, Simple(StatusCode.Unavailable, ErrorReasons.Unavailable,
                    "A service this operation depends on is unavailable. Retry with the same requestId."));
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                return (499, Simple(StatusCode.Cancelled, ErrorReasons.Unavailable, "The call was cancelled."));
            case DbException db when db.IsTransient || db.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException:
                LogDependencyDown(logger, context.Request.Path, db.Message);
                return (StatusCodes.Status503ServiceUnavailable, Simple(StatusCode.Unavailable, ErrorReasons.Unavailable,
                    "The database is unavailable. Retry with the same requestId."));
            default:
                LogUnhandled(logger, exception, context.Request.Path);
                return (StatusCodes.Status500InternalServerError, Simple(StatusCode.Internal, ErrorReasons.Internal,
                    "An internal error occurred. It has been logged."));
        }
    }

    /// <summary>As gRPC JSON transcoding maps status codes to HTTP.</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static Google.Rpc.Status Simple(StatusCode code, string reason, string message)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.ErrorInfo { Reason = reason, Domain = ErrorReasons.Domain }));
        return status;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dependency unavailable in {Path}: {Detail}")]
    private static partial void LogDependencyDown(ILogger logger, string path, string detail);
}
