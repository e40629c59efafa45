using Bimtek.Gateway.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Forwarder;

namespace Bimtek.Gateway.Proxy;

/// <summary>
/// Step of the proxy pipeline: when forwarding failed (service down, no healthy destination, timed out),
/// answer 503/504 at once with the services' error body instead of YARP's empty 502/503/504
/// (503 also when the load balancer found no healthy destination).
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
            default:
                await GatewayErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, StatusCode.Unavailable,
                    GatewayErrors.Unavailable, "The service is unavailable. Retry with the same request_id.", TimeSpan.FromSeconds(1));
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding {Path} failed: {Error}")]
    private static partial void LogForwardingFailed(ILogger logger, PathString path, ForwarderError error);
}
