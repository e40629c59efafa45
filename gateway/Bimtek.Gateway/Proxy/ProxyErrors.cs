using Bimtek.Gateway.Errors;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Forwarder;

namespace Bimtek.Gateway.Proxy;

/// <summary>
/// Step of the proxy pipeline: when forwarding failed (service down, no healthy destination, timed out),
/// answer 503/504 at once with the services' error body instead of YARP's empty 502/503/504
/// (503 also when the load balancer found no healthy destination). A request body the caller could not
/// deliver is the caller's fault, not the service's: over the route's size limit 413, otherwise 400.
/// </summary>
public static partial class ProxyErrors
{
    public static async Task HandleAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.GetForwarderErrorFeature()?.Error;
        if (error is null or ForwarderError.None || context.Response.HasStarted)
        {
            return;
        }
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProxyErrors));
        LogForwardingFailed(logger, context.Request.Path, error.Value);
        switch (error.Value)
        {
            case ForwarderError.RequestTimedOut:
            case ForwarderError.RequestCanceled when context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true:
                await GatewayErrors.WriteAsync(context, StatusCodes.Status504GatewayTimeout, StatusCode.DeadlineExceeded,
                    GatewayErrors.Timeout, "The service did not answer in time. Retry with the same request_id.");
                break;
            case ForwarderError.RequestCanceled:
                // The caller went away; there is nobody to answer.
                break;
            case ForwarderError.RequestBodyClient when TooLarge(context.GetForwarderErrorFeature()?.Exception):
                await GatewayErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted,
                    GatewayErrors.RequestTooLarge, "The request body is larger than this operation accepts.");
                break;
            case ForwarderError.RequestBodyClient:
                await GatewayErrors.WriteAsync(context, StatusCodes.Status400BadRequest, StatusCode.InvalidArgument,
                    ErrorReasons.MalformedBody, "The request body could not be read.");
                break;
            default:
                await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, StatusCode.Unavailable,
                    GatewayErrors.Unavailable, "The service is unavailable. Retry with the same request_id.", TimeSpan.FromSeconds(1));
                break;
        }
    }

    /// <summary>Kestrel's "request body too large" (413), wherever YARP wrapped it.</summary>
    private static bool TooLarge(Exception? exception) => exception switch
    {
        null => false,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(TooLarge),
        _ => TooLarge(exception.InnerException),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding {Path} failed: {Error}")]
    private static partial void LogForwardingFailed(ILogger logger, PathString path, ForwarderError error);
}
