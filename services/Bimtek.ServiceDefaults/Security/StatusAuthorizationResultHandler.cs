using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Bimtek.ServiceDefaults.Security;

/// <summary>
/// A refused caller gets the suite's error (<see cref="ErrorResponses"/>) instead of the authentication handler's
/// bare HTTP 401/403: a gRPC client reads UNAUTHENTICATED or PERMISSION_DENIED with its ErrorInfo, a REST client
/// the JSON status. <paramref name="schemes"/> goes to <c>WWW-Authenticate</c>; <paramref name="challenge"/> says
/// what credential this host accepts.
/// </summary>
public sealed class StatusAuthorizationResultHandler(string schemes, string challenge) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged || (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated != true))
        {
            context.Response.Headers.WWWAuthenticate = schemes;
            await ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, StatusCode.Unauthenticated,
                ErrorReasons.Unauthenticated, challenge);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, StatusCode.PermissionDenied,
                ErrorReasons.PermissionDenied, "The caller's roles do not allow this operation.");
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
