using Bimtek.Gateway.Contracts;
using Bimtek.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;

namespace Bimtek.Gateway.Security;

/// <summary>
/// The named policies routes refer to (<c>ReverseProxy:Routes:*:AuthorizationPolicy</c>). Coarse by
/// design: which kinds of caller may reach a service at all. Services decide the rest per RPC and per
/// record (a trainee reaches only their own). Anything without a policy falls to the fallback: denied.
/// </summary>
public static class GatewayPolicies
{
    public const string Participants = "participants-api";
    public const string Materials = "materials-api";
    public const string Production = "production-api";
    public const string Distribution = "distribution-api";
    public const string Quotas = "quotas-api";

    /// <summary>Trainees' one-time sign-in codes (identity): the office's operators and the programme's instructors.</summary>
    public const string SignInCodes = "sign-in-codes-api";

    /// <summary>Staff and recipient invitations (identity): operators only.</summary>
    public const string Invitations = "invitations-api";

    /// <summary>
    /// Notifications: people's messages (a trainee their own), the office's failed deliveries and resends, integrators'
    /// webhooks. The service decides per RPC and record.
    /// </summary>
    public const string Notifications = "notifications-api";

    /// <summary>gRPC paths: systems (integrators, operators' tools) and services; internal RPCs need <c>service</c>.</summary>
    public const string Grpc = "grpc";

    /// <summary>Roles each REST policy admits.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RolesByPolicy = new Dictionary<string, string[]>
    {
        [Participants] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        [Materials] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        [Production] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        [Distribution] = [Roles.Operator, Roles.Integrator, Roles.Recipient],
        [Quotas] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        [SignInCodes] = [Roles.Operator, Roles.Instructor],
        [Invitations] = [Roles.Operator],
        [Notifications] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        [Grpc] = [Roles.Operator, Roles.Integrator, Roles.Service],
    };

    public static IServiceCollection AddGatewayAuthorization(this IServiceCollection services)
    {
        var builder = services.AddAuthorizationBuilder()
            // Whatever is not explicitly opened (a forgotten route, an unknown path) needs a caller, and then finds nothing.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(GatewayAuthentication.SelectorScheme).RequireAuthenticatedUser().Build());
        foreach (var (name, roles) in RolesByPolicy)
        {
            builder.AddPolicy(name, policy =>
            {
                policy.AddAuthenticationSchemes(GatewayAuthentication.SelectorScheme).RequireAuthenticatedUser().RequireRole(roles);
                if (name == Grpc)
                {
                    policy.AddRequirements(new InternalRpcRequirement());
                }
            });
        }
        services.AddSingleton<IAuthorizationHandler, InternalRpcHandler>();
        return services;
    }
}

/// <summary>A gRPC path must name a known method, and an internal one (no REST binding) needs the <c>service</c> role.</summary>
public sealed class InternalRpcRequirement : IAuthorizationRequirement;

public sealed class InternalRpcHandler : AuthorizationHandler<InternalRpcRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, InternalRpcRequirement requirement)
    {
        if (context.Resource is HttpContext http && ContractCatalog.FindByPath(http.Request.Path.Value ?? "") is { } method
            && (!ContractCatalog.IsInternal(method) || context.User.IsInRole(Roles.Service)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
