using System.Security.Claims;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Security;

/// <summary>
/// The one shape every authentication scheme produces: a <c>sub</c> claim, <c>roles</c> claims restricted
/// to what that kind of caller may hold, and the caller's <c>office</c> when it has one. The forwarded token is built
/// from nothing else.
/// </summary>
public static class GatewayIdentity
{
    /// <summary>Roles a person's token from the identity provider may carry (never <c>service</c>).</summary>
    public static readonly IReadOnlySet<string> PersonRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator, Roles.Recipient,
    };

    /// <summary>Roles an API key, a client-credentials client or a gateway token may carry.</summary>
    public static readonly IReadOnlySet<string> AllRoles = new HashSet<string>(Roles.All, StringComparer.Ordinal);

    public static ClaimsPrincipal Create(string authenticationType, string subject, IEnumerable<string> roles, IReadOnlySet<string> allowedRoles,
        string? office = null)
    {
        var identity = new ClaimsIdentity(authenticationType, BimtekClaims.Subject, BimtekClaims.Roles);
        identity.AddClaim(new Claim(BimtekClaims.Subject, subject));
        if (!string.IsNullOrWhiteSpace(office))
        {
            identity.AddClaim(new Claim(BimtekClaims.Office, office.Trim()));
        }
        foreach (var role in roles.Where(allowedRoles.Contains).Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(BimtekClaims.Roles, role));
        }
        return new ClaimsPrincipal(identity);
    }

    public static string SubjectOf(ClaimsPrincipal user) => user.FindFirstValue(BimtekClaims.Subject) ?? "";

    /// <summary>The caller's office; empty: the deployment's default office (services resolve it).</summary>
    public static string OfficeOf(ClaimsPrincipal user) => user.FindFirstValue(BimtekClaims.Office) ?? "";

    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal user) =>
        user.FindAll(BimtekClaims.Roles).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
}
