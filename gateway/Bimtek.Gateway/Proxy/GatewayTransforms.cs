using System.Net.Http.Headers;
using Bimtek.Gateway.Limits;
using Bimtek.Gateway.Security;
using Yarp.ReverseProxy.Transforms;

namespace Bimtek.Gateway.Proxy;

/// <summary>
/// Applied to every route: drop every identity header the client sent, then attach the gateway-signed
/// token for the verified caller and the correlation id.
/// </summary>
public static class GatewayTransforms
{
    public static IReverseProxyBuilder AddGatewayTransforms(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(context => context.AddRequestTransform(transform =>
        {
            var request = transform.ProxyRequest;
            foreach (var name in request.Headers.Select(h => h.Key).Where(IdentityHeaders.IsIdentityHeader).ToList())
            {
                request.Headers.Remove(name);
            }
            if (request.Content is not null)
            {
                foreach (var name in request.Content.Headers.Select(h => h.Key).Where(IdentityHeaders.IsIdentityHeader).ToList())
                {
                    request.Content.Headers.Remove(name);
                }
            }
            var http = transform.HttpContext;
            if (http.User.Identity?.IsAuthenticated == true)
            {
                var issuer = http.RequestServices.GetRequiredService<GatewayTokenIssuer>();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.IssueFor(http.User));
            }
            request.Headers.Remove(CorrelationId.HeaderName);
            request.Headers.TryAddWithoutValidation(CorrelationId.HeaderName, CorrelationId.Get(http));
            return ValueTask.CompletedTask;
        }));
}
