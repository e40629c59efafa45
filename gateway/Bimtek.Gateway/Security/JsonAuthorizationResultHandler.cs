using Bimtek.Gateway.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Bimtek.Gateway.Security;

/// <summary>401 and 403 answered in the services' error shape (JSON status, or a gRPC status for gRPC calls).</summary>
public sealed class JsonAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged || (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated != true))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer, ApiKey";
            await GatewayErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, StatusCode.Unauthenticated,
                GatewayErrors.Unauthenticated, "A valid API key (X-Api-Key) or bearer token is required.");
            return;
        }
        if (authorizeResult.Forbidden)
        {
            await GatewayErrors.WriteAsync(context, StatusCodes.Status403Forbidden, StatusCode.PermissionDenied,
                GatewayErrors.PermissionDenied, "The caller's roles do not allow this operation.");
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
