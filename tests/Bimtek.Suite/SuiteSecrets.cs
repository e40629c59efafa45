using System.Security.Cryptography;
using System.Text;

namespace Bimtek.Suite;

/// <summary>Fresh credentials per suite: the gateway's signing key pair, the API key and each service's client secret.</summary>
public sealed class SuiteSecrets
{
    public SuiteSecrets()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SigningKeyPem = key.ExportPkcs8PrivateKeyPem();
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>The gateway's private signing key (PKCS#8 PEM).</summary>
    public string SigningKeyPem { get; }

    /// <summary>Its public key, which the services trust.</summary>
    public string PublicKeyPem { get; }

    /// <summary>The API key of the scenario caller (roles operator and integrator).</summary>
    public string ApiKey { get; } = "e2e-" + RandomNumberGenerator.GetHexString(32, lowercase: true);

    public string ClientSecret(string service) => $"e2e-{service}-{_salt}";

    /// <summary>The operator account the identity service creates at start (sign in with it and <see cref="OperatorPassword"/>).</summary>
    public const string OperatorEmail = "operator@e2e.test";

    public string OperatorPassword { get; } = "e2e-" + RandomNumberGenerator.GetHexString(16, lowercase: true) + "1a";

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private readonly string _salt = RandomNumberGenerator.GetHexString(24, lowercase: true);
}
