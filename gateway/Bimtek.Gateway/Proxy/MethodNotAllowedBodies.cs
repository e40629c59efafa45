using System.Net;
using Bimtek.Gateway.Errors;
using Grpc.Core;
using Yarp.ReverseProxy.Transforms;

namespace Bimtek.Gateway.Proxy;

/// <summary>
/// A REST path that exists with another HTTP method: the service's routing answers 405 with an empty body. The
/// gateway replaces that body with the documented error (<c>google.rpc.Status</c> JSON, reason
/// <see cref="GatewayErrors.MethodNotAllowed"/>), keeping the service's <c>Allow</c> header.
/// </summary>
public static class MethodNotAllowedBodies
{
    public static IReverseProxyBuilder AddMethodNotAllowedBodies(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(context => context.AddResponseTransform(async transform =>
        {
            if (transform.ProxyResponse is not { StatusCode: HttpStatusCode.MethodNotAllowed } response
                || response.Content.Headers.ContentType is not null
                || GatewayErrors.IsGrpc(transform.HttpContext.Request))
            {
                return;
            }
            transform.SuppressResponseBody = true;
            var allowed = string.Join(", ", response.Content.Headers.Allow);
            await GatewayErrors.WriteAsync(transform.HttpContext, StatusCodes.Status405MethodNotAllowed, StatusCode.Unimplemented,
                GatewayErrors.MethodNotAllowed,
                allowed.Length == 0 ? "This path does not accept this HTTP method." : $"This path accepts only {allowed}.");
        }));
}
