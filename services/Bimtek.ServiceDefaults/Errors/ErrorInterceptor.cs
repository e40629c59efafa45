using System.Data.Common;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// The one place where exceptions become gRPC statuses. Domain errors keep their code, reason and
/// details; an unreachable database becomes UNAVAILABLE (the caller retries with the same
/// request_id); anything else is logged with its trace and answered INTERNAL without internals.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (Translate(ex, context, request as IMessage) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (Translate(ex, context, request as IMessage) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (Translate(ex, context, null) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (Translate(ex, context, null) is { } rpc)
        {
            throw rpc;
        }
    }

    /// <summary>Returns the exception to throw instead, or null to let the original pass.</summary>
    private RpcException? Translate(Exception exception, ServerCallContext context, IMessage? request)
    {
        switch (exception)
        {
            case ValidationException validation when IsRest(context):
                // Over REST fields are named as the caller wrote them: by their JSON names.
                return validation.WithJsonNames(request?.Descriptor).ToStatus().ToRpcException();
            case DomainException domain:
                if (domain is DependencyUnavailableException)
                {
                    LogDependencyDown(logger, context.Method, domain.Message);
                }
                return domain.ToStatus().ToRpcException();
            case RpcException rpc when rpc.StatusCode == StatusCode.Unavailable || rpc.StatusCode == StatusCode.DeadlineExceeded:
                // A downstream call failed: say which kind of failure, not the downstream's internals.
                LogDependencyDown(logger, context.Method, rpc.Status.Detail);
                return Unavailable("A service this operation depends on is unavailable. Retry with the same request_id.");
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
            case DbException db when IsTransient(db):
                LogDependencyDown(logger, context.Method, db.Message);
                return Unavailable("The database is unavailable. Retry with the same request_id.");
            default:
                LogUnhandled(logger, exception, context.Method);
                var status = new Google.Rpc.Status
                {
                    Code = (int)StatusCode.Internal,
                    Message = "An internal error occurred. It has been logged.",
                };
                status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.ErrorInfo
                {
                    Reason = ErrorReasons.Internal,
                    Domain = ErrorReasons.Domain,
                }));
                return status.ToRpcException();
        }
    }

    /// <summary>Whether the call came through JSON transcoding (REST) rather than as gRPC.</summary>
    public static bool IsRest(ServerCallContext context)
    {
        HttpContext http;
        try
        {
            http = context.GetHttpContext();
        }
        catch (InvalidOperationException)
        {
            return false; // a context without HTTP (a unit test's): not REST
        }
        return http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null
            || !(http.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) ?? false);
    }

    private static RpcException Unavailable(string message)
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.Unavailable, Message = message };
        status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.ErrorInfo
        {
            Reason = ErrorReasons.Unavailable,
            Domain = ErrorReasons.Domain,
        }));
        return status.ToRpcException();
    }

    // A lost connection (e.g. Npgsql's socket or I/O failure) is transient whatever the provider says.
    private static bool IsTransient(DbException exception) =>
        exception.IsTransient || exception.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dependency unavailable in {Method}: {Detail}")]
    private static partial void LogDependencyDown(ILogger logger, string method, string detail);
}
