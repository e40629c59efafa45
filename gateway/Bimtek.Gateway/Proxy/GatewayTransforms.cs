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
            RemoveIdentityHeaders(request.Headers);
            if (request.Content is not null)
            {
                RemoveIdentityHeaders(request.Content.Headers);
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

    /// <summary>
    /// Reads the names without parsing the values (enumerating <see cref="HttpHeaders"/> itself parses every value),
    /// and makes a list only when there is something to remove.
    /// </summary>
    private static void RemoveIdentityHeaders(HttpHeaders headers)
    {
        List<string>? found = null;
        foreach (var header in headers.NonValidated)
        {
            if (IdentityHeaders.IsIdentityHeader(header.Key))
            {
                (found ??= []).Add(header.Key);
            }
        }
        foreach (var name in found ?? [])
        {
            headers.Remove(name);
        }
    }
}
