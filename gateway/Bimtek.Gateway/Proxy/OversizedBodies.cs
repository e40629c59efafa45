using Bimtek.Gateway.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Bimtek.Gateway.Proxy;

/// <summary>
/// Step of the proxy pipeline: a body whose declared length is over the route's limit is answered 413 with the error
/// body, and the connection stays open. Left to Kestrel, the limit is hit on the first read and the connection is
/// closed while the caller is still sending, so a client that does not wait for <c>100 Continue</c> (no browser
/// does, and a phone uploading a photo is one) sees a reset instead of the reason. So the body is read and thrown
/// away first, up to <see cref="DrainLimit"/>; past that the connection is not worth keeping and Kestrel closes it.
/// </summary>
public static class OversizedBodies
{
    /// <summary>The largest oversized body read to its end to keep the connection: a full-size phone photo fits.</summary>
    public const long DrainLimit = 16 * 1024 * 1024;

    public static async Task HandleAsync(HttpContext context, Func<Task> next)
    {
        var limit = context.GetReverseProxyFeature().Route.Config.MaxRequestBodySize;
        if (limit is not > 0 || context.Request.ContentLength is not { } length || length <= limit)
        {
            await next();
            return;
        }
        if (length <= DrainLimit && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
            await DiscardAsync(context.Request.Body, context.RequestAborted);
        }
        await GatewayErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted,
            GatewayErrors.RequestTooLarge, $"The request body is larger than this operation accepts ({limit} bytes).");
    }

    private static async Task DiscardAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (await body.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }
}
