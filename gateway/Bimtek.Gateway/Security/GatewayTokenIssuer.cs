using System.Collections.Concurrent;
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

    /// <summary>
    /// The token forwarded with a proxied request, for its authenticated caller. One ES256 signature
    /// per caller (subject, office and roles) per half token lifetime, not one per request: the token says only
    /// what this request's own authentication verified (the same subject and roles), so reusing it
    /// grants nothing more, and it always has at least half its lifetime (a minute by default) left
    /// when forwarded — longer than any request's deadline. A caller whose roles change gets a new token
    /// at once (the roles and office are part of the key); a disabled caller fails the gateway's own
    /// authentication before any token is forwarded.
    /// </summary>
    public string IssueFor(ClaimsPrincipal user)
    {
        var subject = GatewayIdentity.SubjectOf(user);
        var roles = GatewayIdentity.RolesOf(user).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var office = GatewayIdentity.OfficeOf(user);
        var key = subject + "\n" + office + "\n" + string.Join('\n', roles);
        var now = time.GetUtcNow();
        if (_forwarded.TryGetValue(key, out var cached) && now < cached.RenewAt)
        {
            return cached.Token;
        }
        var lifetime = options.Value.ForwardedTokenLifetime;
        if (_forwarded.Count >= MaxCachedCallers)
        {
            // Many distinct callers: start again rather than grow without bound (each costs one signature more).
            _forwarded.Clear();
        }
        var token = Issue(subject, roles, lifetime, office);
        _forwarded[key] = new ForwardedToken(token, now + lifetime / 2);
        return token;
    }

    private const int MaxCachedCallers = 10_000;

    private readonly ConcurrentDictionary<string, ForwardedToken> _forwarded = new(StringComparer.Ordinal);

    private sealed record ForwardedToken(string Token, DateTimeOffset RenewAt);
}
