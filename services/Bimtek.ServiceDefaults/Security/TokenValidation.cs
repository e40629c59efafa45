using Microsoft.IdentityModel.Tokens;

namespace Bimtek.ServiceDefaults.Security;

/// <summary>
/// The one set of rules every bearer token of the suite is checked against (gateway-signed tokens at
/// the services and the gateway, people's tokens at the gateway): the named issuer and audience, an
/// expiry that has not passed (within the clock skew), a signature by an accepted algorithm. The
/// caller adds where the keys come from and which claims carry name and roles.
/// </summary>
public static class TokenValidation
{
    public static TokenValidationParameters Parameters(string? issuer, string? audience, TimeSpan clockSkew, IEnumerable<string> algorithms) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = clockSkew,
        ValidAlgorithms = [.. algorithms],
    };
}
