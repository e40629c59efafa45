using System.Security.Claims;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.ServiceDefaults.Security;

/// <summary>
/// The verified identity of a call: the subject (a person's id, a client's or a service's name),
/// roles and office from the gateway-signed token. Object-level rules use it; nothing else is trusted.
/// </summary>
public sealed record Caller(string Subject, IReadOnlySet<string> Roles)
{
    /// <summary>The office of the account or API key (<c>office</c> claim); empty: the deployment's default office.</summary>
    public string Office { get; init; } = "";

    public bool Is(string role) => Roles.Contains(role);

    public bool IsAny(params string[] roles) => roles.Any(Roles.Contains);

    /// <summary>Operators, integrators and other services act for anyone.</summary>
    public bool IsPrivileged => IsAny(Security.Roles.Operator, Security.Roles.Integrator, Security.Roles.Service);

    /// <summary>
    /// Operators and integrators act for their office's programmes only (a province's also for its districts');
    /// other services' relays act for every office.
    /// </summary>
    public bool IsOfficeScoped => IsAny(Security.Roles.Operator, Security.Roles.Integrator) && !Is(Security.Roles.Service);

    /// <summary>Throws PERMISSION_DENIED unless the caller has one of <paramref name="roles"/>.</summary>
    public Caller Require(params string[] roles) =>
        IsAny(roles) ? this : throw new PermissionDeniedException($"This operation needs one of the roles: {string.Join(", ", roles)}.");

    public static Caller From(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirstValue(BimtekClaims.Subject) ?? "";
        var roles = principal.FindAll(BimtekClaims.Roles).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Caller(subject, roles) { Office = principal.FindFirstValue(BimtekClaims.Office) ?? "" };
    }
}

public static class CallerExtensions
{
    /// <summary>The authenticated caller of this gRPC call (the endpoint requires authentication).</summary>
    public static Caller GetCaller(this ServerCallContext context) => Caller.From(context.GetHttpContext().User);
}
