using System.Security.Claims;
using Bimtek.Gateway.Hosting;
using Bimtek.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Gateway.Security;

/// <summary>
/// Signs the short-lived tokens the services accept: issuer <c>bimtek-gateway</c>, audience
/// <c>bimtek-services</c>, the verified <c>sub</c>, a <c>roles</c> array and the caller's <c>office</c> when it has
/// one — nothing a client said about itself.
/// </summary>
public sealed class GatewayTokenIssuer(GatewaySigningKey key, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issue(string subject, IEnumerable<string> roles, TimeSpan lifetime, string? office = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now + lifetime,
            Claims = new Dictionary<string, object>
            {
                [BimtekClaims.Subject] = subject,
                [BimtekClaims.Roles] = roles.Distinct(StringComparer.Ordinal).ToArray(),
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = key.Credentials,
        };
        if (!string.IsNullOrWhiteSpace(office))
        {
            descriptor.Claims[BimtekClaims.Office] = office.Trim();
        }
        return _handler.CreateToken(descriptor);
    }

    /// <summary>The token forwarded with one proxied request, for its authenticated caller.</summary>
    public string IssueFor(ClaimsPrincipal user) =>
        Issue(GatewayIdentity.SubjectOf(user), GatewayIdentity.RolesOf(user), options.Value.ForwardedTokenLifetime, GatewayIdentity.OfficeOf(user));
}
