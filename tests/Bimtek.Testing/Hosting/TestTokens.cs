using System.Security.Cryptography;
using Bimtek.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Testing.Hosting;

/// <summary>
/// Mints tokens shaped like the gateway's, for any subject and roles, with a key pair made for
/// this test process. Hosts under test are configured with its public key only.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "bimtek-gateway";
    public const string Audience = "bimtek-services";

    private static readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsaSecurityKey _securityKey = new(_key) { KeyId = "test" };

    public static string PublicKeyPem { get; } = _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Configuration entries that make a host trust these tokens.</summary>
    public static IReadOnlyDictionary<string, string?> HostConfiguration { get; } = new Dictionary<string, string?>
    {
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:PublicKeyPem"] = PublicKeyPem,
    };

    public static string Mint(string subject, params string[] roles) =>
        Mint(subject, roles, TimeSpan.FromMinutes(10));

    public static string Mint(string subject, IEnumerable<string> roles, TimeSpan lifetime, string issuer = Issuer, string audience = Audience, SecurityKey? key = null,
        string? office = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now + lifetime,
            Claims = new Dictionary<string, object>
            {
                [BimtekClaims.Subject] = subject,
                [BimtekClaims.Roles] = roles.ToArray(),
            },
            SigningCredentials = new SigningCredentials(key ?? _securityKey, SecurityAlgorithms.EcdsaSha256),
        };
        if (office is not null)
        {
            descriptor.Claims[BimtekClaims.Office] = office;
        }
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An operator: may do everything a service allows an office to do.</summary>
    public static string Operator(string subject = "operator-1") => Mint(subject, Roles.Operator);

    /// <summary>An operator of <paramref name="office"/> (the <c>office</c> claim the gateway forwards).</summary>
    public static string OperatorOf(string office, string subject = "operator-1") =>
        Mint(subject, [Roles.Operator], TimeSpan.FromMinutes(10), office: office);

    /// <summary>The identity a background relay uses.</summary>
    public static string Service(string subject = "service") => Mint(subject, Roles.Service);
}

/// <summary>Gives hosts under test a service identity minted by <see cref="TestTokens"/>.</summary>
public sealed class TestServiceTokenSource(string subject = "test-service") : IServiceTokenSource
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(TestTokens.Service(subject));
}
