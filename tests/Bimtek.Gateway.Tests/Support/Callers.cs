using System.Security.Cryptography;
using System.Text;
using Bimtek.Gateway.Security;
using Bimtek.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Gateway.Tests.Support;

/// <summary>
/// The credentials of the tests: the gateway's own key pair, a stand-in identity provider that signs people's
/// tokens, API keys for each role and a client-credentials client.
/// </summary>
public static class Callers
{
    public const string PersonIssuer = "https://idp.test/bimtek";
    public const string PersonAudience = "bimtek-api";
    public const string ServiceClientId = "materials";
    public const string ServiceClientSecret = "materials-test-secret";

    private static readonly ECDsa _gatewayKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa _identityProviderKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa _strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string GatewayPrivateKeyPem { get; } = _gatewayKey.ExportPkcs8PrivateKeyPem();

    public static string GatewayPublicKeyPem { get; } = _gatewayKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>The roles a caller can hold: the six of people and systems, plus a service's.</summary>
    public static readonly IReadOnlyList<string> AllRoles = Roles.All;

    /// <summary>The API key of a client holding exactly one role (<c>key-{role}</c>).</summary>
    public static string ApiKeyFor(string role) => $"test-api-key-for-{role}";

    /// <summary>An operator's API key that belongs to the office <see cref="KeyOffice"/> (client <c>key-office</c>).</summary>
    public const string OfficeApiKey = "test-api-key-of-an-office";

    public const string KeyOffice = "DISPERINDAG-HST";

    public static IReadOnlyDictionary<string, string?> GatewayConfiguration()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:SigningKeyPem"] = GatewayPrivateKeyPem,
            ["Gateway:GenerateSigningKeyIfMissing"] = "false",
            ["Gateway:Jwt:Issuer"] = PersonIssuer,
            ["Gateway:Jwt:Audience"] = PersonAudience,
            ["Gateway:Jwt:SigningKeysPem:0"] = _identityProviderKey.ExportSubjectPublicKeyInfoPem(),
            [$"Gateway:ServiceClients:{ServiceClientId}:SecretSha256"] = ApiKeyAuthenticationHandler.HashOf(ServiceClientSecret),
            [$"Gateway:ServiceClients:{ServiceClientId}:Roles:0"] = Roles.Service,
        };
        foreach (var role in AllRoles)
        {
            settings[$"Gateway:ApiKeys:key-{role}:Sha256"] = ApiKeyAuthenticationHandler.HashOf(ApiKeyFor(role));
            settings[$"Gateway:ApiKeys:key-{role}:Roles:0"] = role;
        }
        settings["Gateway:ApiKeys:key-office:Sha256"] = ApiKeyAuthenticationHandler.HashOf(OfficeApiKey);
        settings["Gateway:ApiKeys:key-office:Roles:0"] = Roles.Operator;
        settings["Gateway:ApiKeys:key-office:Office"] = KeyOffice;
        return settings;
    }

    /// <summary>A person's token from the identity provider (or, with <paramref name="key"/>, from someone else).</summary>
    public static string Person(string subject, string[] roles, TimeSpan? lifetime = null, string issuer = PersonIssuer,
        string audience = PersonAudience, ECDsa? key = null, string? office = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-20),
            NotBefore = expires.AddMinutes(-20),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key ?? _identityProviderKey), SecurityAlgorithms.EcdsaSha256),
        };
        if (office is not null)
        {
            descriptor.Claims["office"] = office;
        }
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token signed by a key the gateway does not trust.</summary>
    public static string PersonSignedByStranger(string subject, params string[] roles) => Person(subject, roles, key: _strangerKey);

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string PersonUnsigned(string subject, params string[] roles)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var rolesJson = string.Join(",", roles.Select(r => $"\"{r}\""));
        var payload = Base64UrlEncoder.Encode(
            $$"""{"iss":"{{PersonIssuer}}","aud":"{{PersonAudience}}","sub":"{{subject}}","roles":[{{rolesJson}}],"exp":{{exp}},"nbf":{{exp - 1200}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>Hex SHA-256, as configuration stores secrets.</summary>
    public static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
